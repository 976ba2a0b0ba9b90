package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonParser;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Privileged;

/**
 * What a crash leaves, and the next command finds: a host reboot (every process gone, the runtime's
 * state directory gone as a tmpfs would be) and kill -9 of mini while a container starts. Each time
 * {@code mini ps -a} must stay truthful, {@code rm -f} must clean up, and the next run must work.
 */
class CrashRecoveryTest {
    private static MiniRoot store;

    @BeforeAll
    static void needsRootAndConmon() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/conmon")), "conmon is not installed (apt-get install conmon)");
        store = new MiniRoot("mini-crash");
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    private static String psLine(String name) throws Exception {
        return store.mini("ps", "-a").out().lines().filter(l -> l.endsWith("  " + name)).findFirst().orElse(null);
    }

    private static int pidOf(String name) throws Exception {
        String json = store.mini("inspect", name).out();
        return JsonParser.parseString(json).getAsJsonArray().get(0).getAsJsonObject().getAsJsonObject("State").get("Pid").getAsInt();
    }

    private static boolean alive(int pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        try {
            return !Files.readString(status).contains("State:\tZ");
        } catch (IOException e) {
            return false; // gone
        }
    }

    private static void kill9(int pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor());
        for (int i = 0; i < 200 && alive(pid); i++) {
            Thread.sleep(10);
        }
        assertFalse(alive(pid), "pid " + pid + " survived SIGKILL");
    }

    /** Every cgroup directory named after the container, in any hierarchy (v1 controllers, v2). */
    private static List<Path> cgroupsOf(String id) throws IOException {
        try (Stream<Path> s = Files.find(Path.of("/sys/fs/cgroup"), 4, (p, a) -> a.isDirectory() && p.getFileName().toString().equals(id))) {
            return s.toList();
        }
    }

    @Test
    void aSimulatedRebootKeepsPsTruthfulAndRmAndTheNextRunWork() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String name : List.of("boot-a", "boot-b")) {
            MiniRoot.Run run = store.mini("run", "-d", "--name", name, "busybox", "sleep", "300");
            assertEquals(0, run.code(), run.err());
            ids.add(run.out().trim());
        }
        assertTrue(psLine("boot-a").contains(" Up "), psLine("boot-a"));
        // the reboot: every process ends (monitors and containers), and the runtime's state (a tmpfs) is lost
        for (int i = 0; i < ids.size(); i++) {
            int pid1 = pidOf(i == 0 ? "boot-a" : "boot-b");
            Path bundle = store.dir.resolve("containers").resolve(ids.get(i));
            kill9(Integer.parseInt(Files.readString(bundle.resolve("conmon.pid")).trim()));
            kill9(pid1);
        }
        FileTrees.delete(store.dir.resolve("runtime"));
        FileTrees.delete(store.dir.resolve("run"));

        for (String name : List.of("boot-a", "boot-b")) {
            String line = psLine(name);
            assertTrue(line != null && line.contains(" Exited ") && !line.contains(" Up "), "ps -a after the reboot: " + line);
        }
        assertEquals("", store.mini("ps", "-q").out(), "nothing is shown running");
        MiniRoot.Run rm = store.mini("rm", "-f", "boot-a");
        assertEquals("boot-a\n", rm.out(), rm.err());
        assertEquals(null, psLine("boot-a"));
        assertFalse(Files.exists(store.dir.resolve("containers").resolve(ids.get(0))), "rm -f removed the bundle");
        assertEquals(List.of(), cgroupsOf(ids.get(0)), "rm -f removed the cgroups");

        MiniRoot.Run again = store.mini("run", "-d", "--name", "boot-a", "busybox", "sleep", "300");
        assertEquals(0, again.code(), "the next run with the same name works: " + again.err());
        assertEquals("boot-a\n", store.mini("exec", "boot-a", "sh", "-c", "echo boot-a").out());
        assertEquals(0, store.mini("rm", "-f", "boot-a", "boot-b").code());
        assertEquals(List.of(), cgroupsOf(ids.get(1)));
    }

    /** PIDs whose command line is exactly `sleep ARG`. */
    private static List<Long> sleeping(String arg) {
        String want = "sleep\0" + arg + "\0";
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).equals(want);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).map(ProcessHandle::pid).toList();
    }

    /** About 50 s (a dozen starts killed, then a dozen runs): in the lab group, with the other slow cases. */
    @Test
    @Tag("lab")
    void killOfMiniDuringAStartLeavesNothingRunningUnsupervised() throws Exception {
        int kills = 12;
        for (int i = 0; i < kills; i++) {
            String arg = Integer.toString(7700 + i);
            Process mini = store.command("run", "--rm", "--name", "crash-" + i, "busybox", "sleep", arg)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // spread over the start: the JVM starting, the runtime's create, the init stage, the command running
            Thread.sleep(100L * i);
            mini.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean-up of its own
            List<Long> left = sleeping(arg);
            for (int t = 0; t < 100 && !left.isEmpty(); t++) {
                Thread.sleep(50); // PR_SET_PDEATHSIG is delivered as the parent dies; its exit takes a moment
                left = sleeping(arg);
            }
            assertEquals(List.of(), left, "kill -9 of mini " + (100 * i) + " ms into its start left its container running");
        }
        String ps = store.mini("ps", "-a").out();
        assertFalse(ps.contains(" Up "), "no container shown running:\n" + ps);
        for (int i = 0; i < kills; i++) {
            MiniRoot.Run r = store.mini("run", "--rm", "--name", "crash-" + i, "busybox", "true");
            assertEquals(0, r.code(), "the name crash-" + i + " is free again: " + r.err());
        }
        assertEquals("", store.mini("ps", "-a", "-q").out(), "nothing left behind");
    }
}
