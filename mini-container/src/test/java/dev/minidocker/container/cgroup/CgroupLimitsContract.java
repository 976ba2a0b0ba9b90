package dev.minidocker.container.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a limit does to a real process, the same for every driver: each test runs a shell script
 * placed in the cgroup before it starts its work, and checks what happened to it.
 */
abstract class CgroupLimitsContract {
    private static final long MIB = 1024 * 1024;
    private final List<Cgroup> made = new ArrayList<>();

    /** The driver under test; subclasses skip first when the host cannot run it. */
    abstract CgroupDriver driver();

    private Cgroup create(Limits limits) {
        String id = "test-" + getClass().getSimpleName().toLowerCase(Locale.ROOT) + "-" + ProcessHandle.current().pid() + "-" + made.size();
        Cgroup cg = driver().create(id, limits);
        made.add(cg);
        return cg;
    }

    @AfterEach
    void removeCgroups() {
        for (Cgroup cg : made) {
            cg.destroy();
        }
    }

    @Test
    void limitsReadBackFromTheKernel() {
        Cgroup cg = create(Limits.parse("64m", "64m", "0.5", 200, 32));
        CgroupStats s = cg.stats();
        assertEquals(64 * MIB, s.memoryLimit());
        assertEquals(32, s.pidsLimit());
        assertEquals(0, s.pids());
        assertFalse(cg.oomKilled());
    }

    // tag::oom-test[]
    @Test
    void allocationBeyondTheMemoryLimitIsOomKilled() {
        Cgroup cg = create(Limits.parse("64m", "64m", null, null, null));
        // dd fills a 200 MiB buffer from /dev/zero: every page it touches is charged to the cgroup
        try (Workload w = Workload.start("exec dd if=/dev/zero of=/dev/null bs=209715200 count=1")) {
            cg.addProcess(w.pid());
            w.go();
            assertEquals(137, w.waitFor(), "dd should die of SIGKILL (128 + 9): " + w.output());
        }
        assertTrue(cg.oomKilled(), "the cgroup's oom_kill counter should have moved");
        CgroupStats s = cg.stats();
        assertTrue(s.oomKills() >= 1, s.describe());
        assertTrue(s.memoryPeak() == -1 || s.memoryPeak() <= 64 * MIB, "peak within the limit: " + s.describe());
        cg.destroy();
        assertFalse(Files.exists(cg.path()), "destroy after an OOM kill removes " + cg.path());
    }
    // end::oom-test[]

    @Test
    void theSameAllocationFitsUnderAHigherLimit() {
        Cgroup cg = create(Limits.parse("512m", "512m", null, null, null));
        try (Workload w = Workload.start("exec dd if=/dev/zero of=/dev/null bs=209715200 count=1")) {
            cg.addProcess(w.pid());
            w.go();
            assertEquals(0, w.waitFor(), w.output());
        }
        assertFalse(cg.oomKilled());
        assertTrue(cg.stats().memoryPeak() == -1 || cg.stats().memoryPeak() >= 200 * MIB, cg.stats().describe());
    }

    // tag::pids-test[]
    @Test
    void forkBeyondThePidsLimitFails() {
        Cgroup cg = create(Limits.parse(null, null, null, null, 8));
        String script = "i=0; while [ $i -lt 20 ]; do sleep 30 >/dev/null 2>&1 & i=$((i+1)); echo started $i; done; echo all started";
        String out;
        try (Workload w = Workload.start(script)) {
            cg.addProcess(w.pid());
            w.go();
            int status = w.waitFor();
            out = w.output();
            assertTrue(status != 0, "the shell should fail when fork does: " + out);
        }
        long started = out.lines().filter(l -> l.startsWith("started ")).count();
        assertFalse(out.contains("all started"), out);
        assertTrue(started >= 1 && started <= 7, "the shell itself is one of the 8 tasks; started " + started + ": " + out);
        assertTrue(out.toLowerCase(Locale.ROOT).contains("fork"), "the shell reports the failed fork: " + out);
        CgroupStats s = cg.stats();
        assertEquals(started, s.pids(), "the sleeps are still inside: " + s.describe());
        cg.destroy(); // kills the sleeps first
        assertFalse(Files.exists(cg.path()));
    }
    // end::pids-test[]

    /** CPUs' worth used by the cgroup over a 3 s wall-clock window, once the loops run. */
    private static double cpusUsedOverThreeSeconds(Cgroup cg) throws InterruptedException {
        Thread.sleep(300);
        long cpu0 = cg.stats().cpuUsageNanos();
        long wall0 = System.nanoTime();
        Thread.sleep(3000);
        return (double) (cg.stats().cpuUsageNanos() - cpu0) / (System.nanoTime() - wall0);
    }

    // tag::cpu-test[]
    @Test
    void twoBusyLoopsGetAtMostHalfACpu() throws Exception {
        Cgroup cg = create(Limits.parse(null, null, "0.5", null, null));
        try (Workload w = Workload.start("(while :; do :; done) & while :; do :; done")) {
            cg.addProcess(w.pid());
            w.go();
            double cpus = cpusUsedOverThreeSeconds(cg);
            // The quota is a ceiling: 50 ms per 100 ms period however many CPUs the loops could
            // use. Measured on the 2-core build machine at load 3: 0.50 to 0.51 per 3 s window,
            // and 0.64 without the quota. At load 10 the machine gives the whole cgroup less
            // than the quota, so the floor only says the loops ran.
            assertTrue(cpus <= 0.6, "the loops used " + cpus + " CPUs, more than the 0.5 quota allows");
            assertTrue(cpus >= 0.02, "the loops got only " + cpus + " CPUs");
        }
        cg.destroy(); // both loops are still running: destroy kills them
        assertFalse(Files.exists(cg.path()));
    }

    @Test
    void aSmallQuotaThrottlesTheLoops() throws Exception {
        // 10 ms per 100 ms: even a machine at load 10 gives the loops more than that, so the
        // kernel must throttle them; nr_throttled counts the periods it did
        Cgroup cg = create(Limits.parse(null, null, "0.1", null, null));
        try (Workload w = Workload.start("(while :; do :; done) & while :; do :; done")) {
            cg.addProcess(w.pid());
            w.go();
            double cpus = cpusUsedOverThreeSeconds(cg);
            assertTrue(cpus <= 0.15, "the loops used " + cpus + " CPUs under a 0.1 quota");
            long throttled = CgroupFile.readKey(cg.file("cpu.stat"), "nr_throttled");
            assertTrue(throttled > 0, "the kernel should have throttled the cgroup (nr_throttled " + throttled + ")");
        }
    }
    // end::cpu-test[]

    @Test
    void staleCgroupsOfACrashedRunAreListedAndRemoved() {
        String id = "test-stale-" + ProcessHandle.current().pid();
        driver().create(id, Limits.parse("64m", null, null, null, 16)); // the run "crashes": no destroy
        CgroupDriver next = driver();                                   // the next run
        assertTrue(next.stale().contains(id), next.stale().toString());
        next.removeStale(id);
        assertFalse(next.stale().contains(id));
        next.removeStale(id); // nothing left: no error
    }

    @Test
    void destroyIsSafeTwice() {
        Cgroup cg = create(Limits.none());
        cg.destroy();
        cg.destroy();
        assertFalse(Files.exists(cg.path()));
    }
}
