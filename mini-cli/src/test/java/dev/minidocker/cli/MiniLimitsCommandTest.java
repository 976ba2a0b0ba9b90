package dev.minidocker.cli;

import static dev.minidocker.cli.MiniCommandTest.mini;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/** {@code mini run}'s resource limits and {@code mini stats}, through the real launcher. */
class MiniLimitsCommandTest {
    @BeforeAll
    static void needsCgroups() {
        Privileged.requireCgroups();
    }

    @Test
    void anOomKillIsReportedAsSuchWith137() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--memory", "64m", "--memory-swap", "64m",
                "busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
        assertEquals(137, r.code(), r.err());
        assertTrue(r.err().endsWith("mini: killed: out of memory, limit 64 MiB\n"), r.err());
    }

    @Test
    void theContainerReadsItsOwnLimit() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--memory", "64m", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        assertEquals("67108864\n", r.out(), r.err());
    }

    @Test
    void statsOnExitShowsThePidsLimit() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--pids", "8", "--stats-on-exit", "busybox", "true");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("mini: stats: memory ") && r.err().contains(", pids 0 / 8"), r.err());
    }

    @Test
    void statsShowsARunningContainer() throws Exception {
        Process running = MiniCommandTest.start(List.of(), "run", "--rm", "--name", "stats-test", "--memory", "32m",
                "busybox", "sleep", "30");
        try {
            MiniCommandTest.Run s = null;
            for (int i = 0; i < 100 && (s == null || s.code() != 0); i++) {
                Thread.sleep(100);
                s = mini("stats", "stats-test");
            }
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().startsWith("stats-test: memory ") && s.out().contains(" / 32 MiB"), s.out());
        } finally {
            mini("rm", "-f", "stats-test");
            running.waitFor();
        }
    }

    @Test
    void badLimitsAreOneLineAnd125() throws Exception {
        for (List<String> args : List.of(List.of("--memory", "10x"), List.of("--cpus", "0"),
                List.of("--memory-swap", "64m"), List.of("--cgroup-driver", "v3"))) {
            List<String> cmd = new java.util.ArrayList<>(List.of("run", "--rm"));
            cmd.addAll(args);
            cmd.addAll(List.of("busybox", "true"));
            MiniCommandTest.Run r = mini(cmd.toArray(new String[0]));
            assertEquals(125, r.code(), args + ": " + r.err());
            assertEquals(1, r.err().lines().count(), args + ": " + r.err());
        }
    }
}
