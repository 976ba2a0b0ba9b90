package dev.minidocker.container.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.engine.RunRequest;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.testing.TestContainers;
import dev.minidocker.sys.Privileged;

/**
 * Limits on real busybox containers, through the runtime the way {@code mini run} uses it: the
 * cgroup is made before the start signal and the init stage joins it. Runs on whatever cgroup
 * version the host has.
 */
class ContainerLimitsTest {
    private boolean v1;

    @BeforeEach
    void requireCgroups() {
        Privileged.requireCgroups();
        v1 = Cgroups.detect() != CgroupMode.V2;
    }

    /** What the container printed, how it ended, and what its cgroup said about it. */
    record Outcome(int exitCode, String output, String report, CgroupStats stats, boolean removed) {
    }

    private Outcome run(Limits limits, String script) {
        Image image = TestContainers.busybox();
        RunRequest request = new RunRequest(null, image.reference(), image.layerDirs(), null, List.of("sh", "-c", script),
                List.of("PATH=/bin:/usr/bin"), "/", "limited", EnumSet.copyOf(Namespaces.CONTAINER), Isolation.PIVOT_ROOT,
                limits, null, true, null, null);
        Path out = tempFile();
        ForegroundRun run = ForegroundRun.create(TestContainers.root(), request, Stdio.toFiles(out, out));
        ContainerCgroup cgroup = ContainerCgroup.find(run.cgroupsPath(), limits).orElseThrow();
        int code;
        try {
            try {
                run.start();
                code = run.await();
            } catch (ContainerException e) {
                run.await();
                code = e.exitCode();
            }
            String report = cgroup.exitReport(code);
            CgroupStats stats = cgroup.stats();
            run.finish(code); // the runtime's delete removes the cgroup
            return new Outcome(code, read(out), report, stats, !Files.exists(cgroup.cgroup().path()));
        } finally {
            cgroup.close(); // safe twice; here for a failed start
            out.toFile().delete();
        }
    }

    @Test
    void theContainerSeesItsOwnLimitsInSysFsCgroup() {
        String memoryMax = v1 ? "/sys/fs/cgroup/memory/memory.limit_in_bytes" : "/sys/fs/cgroup/memory.max";
        String pidsMax = v1 ? "/sys/fs/cgroup/pids/pids.max" : "/sys/fs/cgroup/pids.max";
        Outcome o = run(Limits.parse("64m", null, null, null, 32),
                "cat " + memoryMax + " " + pidsMax + "; grep memory /proc/self/cgroup || grep '^0::' /proc/self/cgroup");
        assertEquals(0, o.exitCode(), o.output());
        List<String> lines = o.output().lines().toList();
        assertEquals("67108864", lines.get(0));
        assertEquals("32", lines.get(1));
        assertTrue(lines.get(2).endsWith(":/"), "its cgroup is the root of its cgroup namespace: " + lines.get(2));
        assertTrue(o.removed());
    }

    @Test
    void sysFsCgroupIsReadOnlyInside() {
        String memoryMax = v1 ? "/sys/fs/cgroup/memory/memory.limit_in_bytes" : "/sys/fs/cgroup/memory.max";
        Outcome o = run(Limits.parse("64m", null, null, null, null), "echo max > " + memoryMax);
        assertTrue(o.exitCode() != 0);
        assertTrue(o.output().contains("Read-only file system"), o.output());
    }

    // tag::container-oom-test[]
    @Test
    void aContainerBeyondItsMemoryIsOomKilledAndReported() {
        Outcome o = run(Limits.parse("64m", "64m", null, null, null), "exec dd if=/dev/zero of=/dev/null bs=200M count=1");
        assertEquals(137, o.exitCode(), o.output());
        assertEquals("killed: out of memory, limit 64 MiB", o.report());
        assertTrue(o.stats().oomKills() >= 1);
        assertTrue(o.removed(), "the cgroup is removed after the OOM kill");
    }
    // end::container-oom-test[]

    @Test
    void aForkBombInsideStopsAtThePidsLimit() {
        Outcome o = run(Limits.parse(null, null, null, null, 16),
                "i=0; while [ $i -lt 100 ]; do sleep 30 & i=$((i+1)); done; echo all started");
        assertTrue(o.exitCode() != 0, o.output());
        assertTrue(o.output().contains("can't fork"), o.output());
        assertFalse(o.output().contains("all started"), o.output());
        assertTrue(o.removed(), "the cgroup (and the sleepers in it) are gone");
    }

    @Test
    void theInitStageIsNotChargedToTheContainer() {
        // the init stage is a JVM (tens of MiB); it joins the cgroup only after it has started
        Outcome o = run(Limits.parse("6m", null, null, null, null), "echo small");
        assertEquals(0, o.exitCode(), o.output());
        assertEquals("small\n", o.output());
        assertNull(o.report());
        assertTrue(o.stats().memoryPeak() < 6 * 1024 * 1024, o.stats().describe());
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("mini-cgroup-test", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
