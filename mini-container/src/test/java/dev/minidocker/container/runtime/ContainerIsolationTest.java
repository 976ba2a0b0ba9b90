package dev.minidocker.container.runtime;

import dev.minidocker.container.engine.OneShot;
import static dev.minidocker.container.testing.TestContainers.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.testing.TestContainers;

/** What a process inside a container sees. Every test runs a real container. */
class ContainerIsolationTest {

    @BeforeAll
    static void image() {
        TestContainers.busybox();
    }

    @Test
    void processInsideSeesItselfAsPid1() {
        OneShot.Outcome r = run("sh", "-c", "echo $$");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("1", r.stdout().trim());
    }

    @Test
    void psShowsOnlyTheContainersProcesses() {
        OneShot.Outcome r = run("sh", "-c", "ps -o pid,comm; true"); // "; true" keeps sh as PID 1 with ps its child
        List<String> lines = r.lines();
        // header, PID 1 (sh) and ps itself: nothing of the host's hundreds of processes
        assertEquals(3, lines.size(), r.stdout());
        assertTrue(lines.get(1).trim().startsWith("1 "), r.stdout());
    }

    @Test
    void procIsTheContainersOwn() {
        OneShot.Outcome r = run("sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /proc | grep -c '^[0-9]'");
        List<String> lines = r.lines();
        assertEquals("sh -c cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /proc | grep -c '^[0-9]'", lines.get(0).trim());
        assertTrue(Integer.parseInt(lines.get(1).trim()) <= 5, "PIDs visible in /proc: " + lines.get(1));
    }

    @Test
    void hostnameIsTheContainersAndTheHostKeepsItsOwn() throws IOException {
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        OneShot.Outcome r = run(b -> b.hostname = "inside-box", "hostname");
        assertEquals("inside-box", r.stdout().trim());
        assertEquals(hostBefore, Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
    }

    @Test
    void devIsMinimal() { // the OCI default devices and links, with the mounts docker gives: pts, shm, mqueue
        OneShot.Outcome r = run("ls", "/dev");
        Set<String> seen = new TreeSet<>(r.lines());
        assertEquals(new TreeSet<>(List.of("fd", "full", "mqueue", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin",
                "stdout", "tty", "urandom", "zero")), seen);
        OneShot.Outcome rw = run("sh", "-c", "echo data > /dev/null && head -c 4 /dev/zero | wc -c && ls /dev/kvm /dev/vda 2>&1");
        assertTrue(rw.stdout().startsWith("4\n"), rw.stdout());
        assertTrue(rw.stdout().contains("/dev/kvm: No such file"), rw.stdout());
    }

    @Test
    void hostFilesAreUnreachable() throws IOException {
        Path marker = Files.createTempFile(Path.of("/tmp"), "host-only-", ".txt");
        try {
            OneShot.Outcome r = run("sh", "-c", "ls /tmp/" + marker.getFileName() + " 2>&1; ls / ; cat /proc/self/mountinfo");
            assertTrue(r.stdout().contains("No such file"), r.stdout());
            assertFalse(r.lines().contains("work"), "the host's /work is visible: " + r.stdout());
            assertFalse(r.stdout().contains("/dev/vda"), "a host disk is mounted inside: " + r.stdout());
        } finally {
            Files.delete(marker);
        }
    }

    @Test
    void onlyDescriptors0To2AreOpen() {
        OneShot.Outcome r = run("sh", "-c", "ls /proc/$$/fd; true"); // the fds of PID 1, listed by a child
        assertEquals(List.of("0", "1", "2"), r.lines());
    }

    @Test
    void networkHasOnlyLoopbackAndItIsUp() {
        OneShot.Outcome r = run("sh", "-c", "ls /sys/class/net; cat /sys/class/net/lo/flags");
        List<String> lines = r.lines();
        assertEquals("lo", lines.get(0));
        int flags = Integer.decode(lines.get(1).trim());
        assertEquals(1, flags & 1, "IFF_UP not set on lo: " + lines.get(1));
        assertEquals(2, lines.size(), r.stdout());
    }

    @Test
    void exitStatusIsTheCommands() {
        assertEquals(42, run("sh", "-c", "exit 42").exitCode());
        assertEquals(0, run("true").exitCode());
    }

    @Test
    void commandNotFoundIs127AndNotExecutableIs126() {
        OneShot.Outcome missing = run("no-such-command");
        assertEquals(127, missing.exitCode());
        assertTrue(missing.stderr().contains("executable file not found"), missing.stderr());
        OneShot.Outcome notExec = run("/etc/passwd");
        assertEquals(126, notExec.exitCode());
        assertTrue(notExec.stderr().contains("permission denied"), notExec.stderr());
    }

    @Test
    void killedBySignalIs128PlusSignal() {
        OneShot.Outcome r = TestContainers.runWhile((c, out) -> c.kill(9), "sleep", "30");
        assertEquals(137, r.exitCode());
        OneShot.Outcome term = TestContainers.runWhile((c, out) -> {
            TestContainers.awaitOutput(out, "ready");
            c.kill(15);
        }, "sh", "-c", "trap 'exit 3' TERM; echo ready; sleep 5 & wait");
        assertEquals(3, term.exitCode(), "PID 1 with a TERM handler handles it: " + term.stderr());
    }
}
