package dev.minidocker.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Privileged;

/**
 * podman drives ./mini-runc as its OCI runtime, through conmon, with a store and state of its
 * own in a temporary directory (never the machine's). Each test asserts what podman showed the
 * user: the output of the process inside, exit codes, exec, logs, stop.
 */
class PodmanDrivesMiniRuncTest {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", "..")).toAbsolutePath().normalize();
    private static Path dir;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void importAnImage() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/usr/bin/conmon")),
                "podman and conmon are not installed (apt-get install podman conmon)");
        dir = Files.createTempDirectory("mini-podman");
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "echo", "cat", "hostname", "ps", "sleep", "ls", "id", "grep")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        Process tar = new ProcessBuilder("tar", "-C", dir.resolve("rootfs").toString(), "-cf", dir.resolve("rootfs.tar").toString(), ".")
                .inheritIO().start();
        assertEquals(0, tar.waitFor());
        Run r = podman("import", dir.resolve("rootfs.tar").toString(), "localhost/mini-bb");
        assertEquals(0, r.code(), r.err());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (dir != null) {
            podman("rm", "-a", "-f");
            // podman's store mounts nothing with vfs; its state directories go with the temp dir
            FileTrees.delete(dir);
        }
    }

    /** podman with its own root, run root, events file and cgroupfs, and mini-runc as the runtime. */
    static List<String> podmanCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "MINI_NO_BUILD=1", "CONTAINERS_CONF=" + dir.resolve("containers.conf"),
                "podman", "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("run").toString(), "--tmpdir", dir.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                "--runtime", PROJECT.resolve("mini-runc").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Run podman(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(podmanCommand(args));
        Files.writeString(dir.resolve("containers.conf"),
                "[engine]\nruntime_supports_json = [\"mini-runc\"]\n[engine.runtimes]\nmini-runc = [\"" + PROJECT.resolve("mini-runc") + "\"]\n"
                        + "[containers]\n# this host's hard limit is 20000; podman's defaults ask for more\n"
                        + "default_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "podman did not finish");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void podmanRunPrintsWhatTheProcessInsideSaw() throws Exception {
        Run r = podman("run", "--rm", "--network", "none", "--hostname", "podbox", "localhost/mini-bb",
                "sh", "-c", "echo \"$(hostname) pid=$$ uid=$(id -u)\"; cat /proc/1/comm; true");
        assertEquals(0, r.code(), r.err());
        assertEquals("podbox pid=1 uid=0\nsh\n", r.out()); // PID 1 is the shell itself, not a runtime process
    }

    /** The capabilities podman 4.3 puts in config.json here (with this test's containers.conf: docker's 14). */
    private static final String PODMAN_CAPS = "00000000a80425fb";
    private static final String STATUS = "grep -E '^(CapEff|CapBnd|Seccomp):' /proc/self/status | tr -d '\\t' | tr '\\n' ' '";

    @Test
    void podmansCapabilitiesSeccompAndMasksHoldForRunAndExec() throws Exception {
        Run r = podman("run", "--rm", "--network", "none", "localhost/mini-bb", "sh", "-c",
                STATUS + "; wc -c < /proc/timer_list; v=$(cat /proc/sys/kernel/core_pattern); echo \"$v\" > /proc/sys/kernel/core_pattern; echo core_pattern=$?");
        // the write puts back the value read: the host cannot change even if it went through.
        // podman's own profile allows unshare (for user namespaces inside); that it is loaded is what Seccomp:2 says
        assertEquals("CapEff:" + PODMAN_CAPS + " CapBnd:" + PODMAN_CAPS + " Seccomp:2 0\ncore_pattern=1\n", r.out(), r.err());
        Run started = podman("run", "-d", "--name", "confined", "--network", "none", "localhost/mini-bb", "sleep", "60");
        assertEquals(0, started.code(), started.err());
        try {
            Run exec = podman("exec", "confined", "sh", "-c", STATUS);
            assertEquals("CapEff:" + PODMAN_CAPS + " CapBnd:" + PODMAN_CAPS + " Seccomp:2 ", exec.out(), exec.err());
            Run asUser = podman("exec", "--user", "1000:1000", "confined", "sh", "-c", "id; " + STATUS);
            assertEquals("uid=1000 gid=1000\nCapEff:0000000000000000 CapBnd:" + PODMAN_CAPS + " Seccomp:2 ", asUser.out(), asUser.err());
        } finally {
            podman("rm", "-f", "-t", "0", "confined");
        }
    }

    @Test
    void theExitCodeOfTheProcessIsPodmans() throws Exception {
        Run r = podman("run", "--rm", "--network", "none", "localhost/mini-bb", "sh", "-c", "exit 3");
        assertEquals(3, r.code(), r.err());
        Run missing = podman("run", "--rm", "--network", "none", "localhost/mini-bb", "no-such-program");
        assertEquals(127, missing.code(), missing.err());
        assertTrue(missing.err().contains("no-such-program"), missing.err());
    }

    @Test
    void detachedContainerTakesExecLogsAndStop() throws Exception {
        Run started = podman("run", "-d", "--name", "lives", "--network", "none", "localhost/mini-bb",
                "sh", "-c", "echo started; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done");
        assertEquals(0, started.code(), started.err());
        Run exec = podman("exec", "lives", "sh", "-c", "echo exec-pid=$$; ps -o comm | grep -c java; exit 4");
        assertEquals(4, exec.code(), exec.err());
        assertTrue(exec.out().startsWith("exec-pid="), exec.out());
        assertTrue(exec.out().endsWith("\n0\n"), "a JVM is visible in the container's PID namespace: " + exec.out());
        // exec -t: conmon passes a console socket, mini-runc's exec sends the master of a pty of the container's devpts
        Run tty = podman("exec", "-t", "lives", "sh", "-c", "tty; exit 6");
        assertEquals(6, tty.code(), tty.err());
        assertTrue(tty.out().matches("/dev/pts/\\d+\r\n"), tty.out() + tty.err());
        Run stop = podman("stop", "-t", "5", "lives");
        assertEquals(0, stop.code(), stop.err());
        Run logs = podman("logs", "lives");
        assertEquals("started\nbye\n", logs.out(), logs.err());
        Run inspect = podman("inspect", "--format", "{{.State.ExitCode}} {{.State.Status}}", "lives");
        assertEquals("0 exited\n", inspect.out(), inspect.err());
        assertEquals(0, podman("rm", "lives").code());
    }

    @Test
    void runItGivesAnInteractiveShellOnAPty() throws Exception {
        // script(1) gives podman a terminal, as a user's would be; the shell reads our lines from it
        String podman = String.join(" ", podmanCommand("run", "-it", "--rm", "--network", "none", "localhost/mini-bb", "sh"));
        Process p = new ProcessBuilder("script", "-qec", podman, "/dev/null").redirectErrorStream(true).start();
        p.getOutputStream().write("echo \"in-a-pty $(tty)\"; exit 7\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertTrue(out.contains("in-a-pty /dev/pts/0"), out);
        assertEquals(7, p.exitValue(), out);
    }

    @Test
    void nothingIsLeftAfterRm() throws Exception {
        Run r = podman("run", "-d", "--name", "gone", "--network", "none", "localhost/mini-bb", "sleep", "60");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        assertTrue(Files.isDirectory(Path.of("/run/mini-runc", id)), "mini-runc keeps no state for " + id);
        assertEquals(0, podman("rm", "-f", "-t", "0", "gone").code());
        assertFalse(Files.exists(Path.of("/run/mini-runc", id)), "mini-runc's state of " + id + " was left");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(id), "a mount of " + id + " was left");
        try (var s = Files.walk(Path.of("/sys/fs/cgroup"), 3)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(id)), "a cgroup of " + id + " was left");
        }
    }
}
