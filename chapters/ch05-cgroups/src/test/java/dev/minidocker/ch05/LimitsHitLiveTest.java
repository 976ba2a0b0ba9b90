package dev.minidocker.ch05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.cgroup.Cgroup;
import dev.minidocker.container.cgroup.CgroupDriver;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.sys.Privileged;

/** The chapter's claim, on this host's cgroup version: each limit stops a real process. */
class LimitsHitLiveTest {
    private CgroupDriver driver;

    @BeforeEach
    void requireCgroups() {
        Privileged.requireCgroups();
        driver = Cgroups.driver(null);
    }

    private Cgroup create(String what, Limits limits) {
        return driver.create("ch05-test-" + what + "-" + UUID.randomUUID().toString().substring(0, 8), limits);
    }

    @Test
    void theAllocationThatDoesNotFitIsOomKilled() {
        Cgroup cg = create("memory", Limits.parse("64m", "64m", null, null, null));
        try (Contained c = Contained.start(cg, Scripts.growingAllocation(16, 96))) {
            assertEquals(0, c.waitFor(), "the shell survives; only dd is killed");
            String out = c.output();
            assertTrue(out.contains("allocating 16 MiB... ok"), out);
            assertTrue(out.contains("allocating 96 MiB... dd exited with status 137"), out);
            assertTrue(cg.oomKilled());
        } finally {
            cg.destroy();
        }
        assertFalse(Files.exists(cg.path()));
    }

    @Test
    void aForkBombStopsAtThePidsLimit() {
        Cgroup cg = create("pids", Limits.parse(null, null, null, null, 16));
        try (Contained c = Contained.start(cg, Scripts.forkUntilRefused())) {
            assertTrue(c.waitFor() != 0);
            String out = c.output();
            assertFalse(out.contains("all 64 started"), out);
            assertTrue(out.contains("sleeper 15\n") && !out.contains("sleeper 16\n"), out);
            assertEquals(15, cg.stats().pids(), "the sleepers are left; the shell is gone");
        } finally {
            cg.destroy();
        }
    }

    @Test
    void busyLoopsAreThrottledToTheirQuota() throws Exception {
        // 10 ms of CPU per 100 ms: less than even a busy machine gives two loops, so the kernel throttles
        Cgroup cg = create("cpu", Limits.parse(null, null, "0.1", null, null));
        try (Contained c = Contained.start(cg, Scripts.twoBusyLoops())) {
            Thread.sleep(200);
            long cpu0 = cg.stats().cpuUsageNanos();
            long wall0 = System.nanoTime();
            Thread.sleep(2000);
            double cpus = (double) (cg.stats().cpuUsageNanos() - cpu0) / (System.nanoTime() - wall0);
            assertTrue(cpus <= 0.15, "used " + cpus + " CPUs under a 0.1 quota");
            String stat = Files.readString(cg.file("cpu.stat"));
            assertFalse(stat.contains("nr_throttled 0\n"), stat);
        } finally {
            cg.destroy();
        }
    }
}
