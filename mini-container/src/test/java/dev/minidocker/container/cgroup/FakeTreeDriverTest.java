package dev.minidocker.container.cgroup;

import static dev.minidocker.container.cgroup.FakeCgroupTree.file;
import static dev.minidocker.container.cgroup.FakeCgroupTree.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both drivers against fake trees: which files they write, what they write, and how they read stats. */
class FakeTreeDriverTest {
    private static final long MIB = 1024 * 1024;
    private static final Limits ALL = Limits.parse("64m", "64m", "0.5", 200, 32);

    @TempDir
    Path root;

    @Test
    void v2WritesEveryLimitInItsOwnFormat() {
        FakeCgroupTree.v2(root, "c1");
        Cgroup cg = new CgroupV2Driver(root).create("c1", ALL);
        Path dir = root.resolve("mini-docker/c1");
        assertEquals(dir, cg.path());
        assertEquals("67108864", read(dir.resolve("memory.max")));
        assertEquals("0", read(dir.resolve("memory.swap.max")));   // swap only: memory-swap minus memory
        assertEquals("50000 100000", read(dir.resolve("cpu.max")));
        assertEquals("200", read(dir.resolve("cpu.weight")));
        assertEquals("32", read(dir.resolve("pids.max")));
    }

    @Test
    void v2DelegatesControllersFromTheTopDown() {
        FakeCgroupTree.v2(root, "c1");
        file(root.resolve("cgroup.subtree_control"), "cpu\n"); // already enabled: not written again
        new CgroupV2Driver(root).create("c1", ALL);
        assertEquals("+memory +pids", read(root.resolve("cgroup.subtree_control")));
        assertEquals("+memory +cpu +pids", read(root.resolve("mini-docker/cgroup.subtree_control")));
    }

    @Test
    void v2UnlimitedSwapIsMax() {
        FakeCgroupTree.v2(root, "c1");
        new CgroupV2Driver(root).create("c1", Limits.parse("64m", "-1", null, null, null));
        assertEquals("max", read(root.resolve("mini-docker/c1/memory.swap.max")));
        assertEquals("max 100000\n", read(root.resolve("mini-docker/c1/cpu.max"))); // untouched
    }

    @Test
    void v2StatsComeFromItsFiles() {
        FakeCgroupTree.v2(root, "c1");
        Cgroup cg = new CgroupV2Driver(root).create("c1", ALL);
        Path dir = cg.path();
        file(dir.resolve("memory.current"), "3145728\n");
        file(dir.resolve("memory.peak"), "41943040\n");
        file(dir.resolve("cpu.stat"), "usage_usec 1250000\nuser_usec 1000000\nsystem_usec 250000\n");
        file(dir.resolve("pids.current"), "2\n");
        file(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\noom_group_kill 0\n");
        CgroupStats s = cg.stats();
        assertEquals(new CgroupStats(3 * MIB, 40 * MIB, 64 * MIB, 1_250_000_000L, 2, 32, 1), s);
        assertTrue(cg.oomKilled());
    }

    @Test
    void v2WithoutMemoryPeakReportsItUnknown() {
        FakeCgroupTree.v2(root, "c1");
        Cgroup cg = new CgroupV2Driver(root).create("c1", Limits.none());
        assertTrue(cg.path().resolve("memory.peak").toFile().delete()); // kernels before 5.19
        assertEquals(-1, cg.stats().memoryPeak());
        assertFalse(cg.oomKilled());
    }

    @Test
    void v2MissingControllerOnAHybridHostPointsToV1() {
        Path unified = root.resolve("unified");
        FakeCgroupTree.v2(unified, "c1");
        FakeCgroupTree.v1(root, "c1"); // the v1 hierarchies beside it hold the controllers
        file(unified.resolve("cgroup.controllers"), "hugetlb\n"); // what this build machine's unified tree offers
        CgroupException e = assertThrows(CgroupException.class, () -> new CgroupV2Driver(unified).create("c1", ALL));
        assertEquals("cgroup v2 controller memory is not available at " + unified + " (cgroup.controllers: hugetlb): "
                + "this looks like a hybrid host whose controllers are on the v1 hierarchies: use --cgroup-driver v1", e.getMessage());
    }

    @Test
    void v2MissingControllerOnAV2HostSaysToEnableIt() {
        FakeCgroupTree.v2(root, "c1");
        file(root.resolve("cgroup.controllers"), "cpu memory\n");
        CgroupException e = assertThrows(CgroupException.class,
                () -> new CgroupV2Driver(root).create("c1", Limits.parse(null, null, null, null, 32)));
        assertEquals("cgroup v2 controller pids is not available at " + root + " (cgroup.controllers: cpu memory): "
                + "enable it in the parent's cgroup.subtree_control, or boot with it (systemd.unified_cgroup_hierarchy=1)", e.getMessage());
    }

    @Test
    void v2BrokenDelegationIsReported() {
        FakeCgroupTree.v2(root, "c1");
        file(root.resolve("mini-docker/c1/cgroup.controllers"), "cpu\n");
        CgroupException e = assertThrows(CgroupException.class,
                () -> new CgroupV2Driver(root).create("c1", Limits.parse(null, null, null, null, 32)));
        assertTrue(e.getMessage().contains("does not list it: check the delegation"), e.getMessage());
    }

    @Test
    void v2WithoutNeededControllerNeedsNoDelegationForStatsOnly() {
        FakeCgroupTree.v2(root, "c1");
        file(root.resolve("cgroup.controllers"), "\n");
        Cgroup cg = new CgroupV2Driver(root).create("c1", Limits.none());
        assertEquals("\n", read(root.resolve("cgroup.subtree_control")));
        assertEquals(cg.path(), root.resolve("mini-docker/c1"));
    }

    @Test
    void v1WritesEveryLimitInItsController() {
        FakeCgroupTree.v1(root, "c1");
        Cgroup cg = new CgroupV1Driver(root).create("c1", ALL);
        assertEquals(root.resolve("memory/mini-docker/c1"), cg.path());
        assertEquals("67108864", read(root.resolve("memory/mini-docker/c1/memory.limit_in_bytes")));
        assertEquals("67108864", read(root.resolve("memory/mini-docker/c1/memory.memsw.limit_in_bytes"))); // memory plus swap
        assertEquals("100000", read(root.resolve("cpu/mini-docker/c1/cpu.cfs_period_us")));
        assertEquals("50000", read(root.resolve("cpu/mini-docker/c1/cpu.cfs_quota_us")));
        assertEquals("2048", read(root.resolve("cpu/mini-docker/c1/cpu.shares")));
        assertEquals("32", read(root.resolve("pids/mini-docker/c1/pids.max")));
        assertEquals(root.resolve("cpu/mini-docker/c1/cpu.stat"), cg.file("cpu.stat"));
        assertEquals(root.resolve("cpuacct/mini-docker/c1/cpuacct.usage"), cg.file("cpuacct.usage"));
        assertEquals(root.resolve("memory/mini-docker/c1/cgroup.procs"), cg.file("cgroup.procs"));
    }

    @Test
    void v1DefaultSwapIsTwiceMemoryAndSkippedWithoutSwapAccounting() {
        FakeCgroupTree.v1(root, "c1");
        new CgroupV1Driver(root).create("c1", Limits.parse("64m", null, null, null, null));
        assertEquals(Long.toString(128 * MIB), read(root.resolve("memory/mini-docker/c1/memory.memsw.limit_in_bytes")));
        FakeCgroupTree.v1(root, "c2");
        assertTrue(root.resolve("memory/mini-docker/c2/memory.memsw.limit_in_bytes").toFile().delete());
        new CgroupV1Driver(root).create("c2", Limits.parse("64m", "-1", null, null, null));
        assertEquals("67108864", read(root.resolve("memory/mini-docker/c2/memory.limit_in_bytes")));
    }

    @Test
    void v1StatsComeFromFourHierarchies() {
        FakeCgroupTree.v1(root, "c1");
        Cgroup cg = new CgroupV1Driver(root).create("c1", ALL);
        file(root.resolve("memory/mini-docker/c1/memory.usage_in_bytes"), "3145728\n");
        file(root.resolve("memory/mini-docker/c1/memory.max_usage_in_bytes"), "67108864\n");
        file(root.resolve("memory/mini-docker/c1/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        file(root.resolve("cpuacct/mini-docker/c1/cpuacct.usage"), "1250000000\n");
        file(root.resolve("pids/mini-docker/c1/pids.current"), "3\n");
        assertEquals(new CgroupStats(3 * MIB, 64 * MIB, 64 * MIB, 1_250_000_000L, 3, 32, 2), cg.stats());
        assertTrue(cg.oomKilled());
    }

    @Test
    void v1UnlimitedReadsAsMinusOne() {
        FakeCgroupTree.v1(root, "c1");
        CgroupStats s = new CgroupV1Driver(root).create("c1", Limits.none()).stats();
        assertEquals(-1, s.memoryLimit());
        assertEquals(-1, s.pidsLimit());
        assertEquals(0, s.oomKills());
    }

    @Test
    void v1MissingControllerSaysHowToMountIt() {
        FakeCgroupTree.v1(root, "c1");
        assertTrue(root.resolve("pids/cgroup.procs").toFile().delete());
        CgroupException e = assertThrows(CgroupException.class,
                () -> new CgroupV1Driver(root).create("c1", Limits.parse(null, null, null, null, 32)));
        assertTrue(e.getMessage().startsWith("cgroup v1 controller pids is not mounted at " + root.resolve("pids")), e.getMessage());
        assertTrue(e.getMessage().contains("mount -t cgroup -o pids"), e.getMessage());
    }

    @Test
    void aMissingControlFileNamesTheFile() {
        FakeCgroupTree.v2(root, "c1");
        assertTrue(root.resolve("mini-docker/c1/pids.max").toFile().delete());
        CgroupException e = assertThrows(CgroupException.class,
                () -> new CgroupV2Driver(root).create("c1", Limits.parse(null, null, null, null, 32)));
        assertEquals("cannot write '32' to " + root.resolve("mini-docker/c1/pids.max")
                + ": no such file (is its controller enabled for this cgroup?)", e.getMessage());
    }

    @Test
    void staleCgroupsAreTheOnesWithNoProcessLeft() throws Exception {
        FakeCgroupTree.v2(root, "crashed");
        FakeCgroupTree.v2(root, "running");
        file(root.resolve("mini-docker/running/cgroup.procs"), "4242\n");
        assertEquals(List.of("crashed"), new CgroupV2Driver(root).stale());
        FakeCgroupTree.v1(root, "crashed");
        FakeCgroupTree.v1(root, "running");
        file(root.resolve("pids/mini-docker/running/cgroup.procs"), "4242\n");
        assertEquals(List.of("crashed"), new CgroupV1Driver(root).stale());
        assertTrue(Files.isDirectory(root.resolve("memory/mini-docker/running")));
    }
}
