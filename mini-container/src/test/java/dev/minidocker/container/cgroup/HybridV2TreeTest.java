package dev.minidocker.container.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

import dev.minidocker.sys.Privileged;

/**
 * The v2 driver on a hybrid host's controller-less v2 tree ({@code /sys/fs/cgroup/unified}): it
 * can still group, count CPU time, kill and remove, and a limit fails with advice.
 */
class HybridV2TreeTest {
    @BeforeEach
    void requireHybrid() {
        Privileged.requireRoot();
        Assumptions.assumeTrue(Cgroups.detect() == CgroupMode.HYBRID, "only a hybrid host has a v2 tree without controllers");
    }

    @Test
    void aLimitNeedingAControllerSaysToUseV1() {
        CgroupException e = assertThrows(CgroupException.class,
                () -> Cgroups.driver("v2").create("test-hybrid-limit", Limits.parse("64m", null, null, null, null)));
        assertTrue(e.getMessage().startsWith("cgroup v2 controller memory is not available at /sys/fs/cgroup/unified"), e.getMessage());
        assertTrue(e.getMessage().endsWith("use --cgroup-driver v1"), e.getMessage());
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/unified/mini-docker/test-hybrid-limit")));
    }

    @Test
    void processesAreGroupedCountedKilledAndRemoved() throws Exception {
        Cgroup cg = Cgroups.driver("v2").create("test-hybrid-" + ProcessHandle.current().pid(), Limits.none());
        try (Workload w = Workload.start("(while :; do :; done) & while :; do :; done")) {
            cg.addProcess(w.pid());
            w.go();
            Thread.sleep(500);
            CgroupStats s = cg.stats();
            assertTrue(s.cpuUsageNanos() > 0, s.describe());
            assertEquals(-1, s.memoryCurrent()); // no memory controller in this tree
            assertEquals(2, Teardown.processes(cg.path()).size());
            cg.destroy(); // cgroup.kill, then rmdir
            assertEquals(137, w.waitFor());
        }
        assertFalse(Files.exists(cg.path()));
    }
}
