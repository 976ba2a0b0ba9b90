package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.cgroup.CgroupMode;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.sys.Privileged;

/**
 * A container with --memory 32m tries to raise its own limit: through the read-only
 * /sys/fs/cgroup, by remounting it, and by mounting the cgroup filesystem anew. Without the
 * defaults the last one works (the control shows the probe is real, and it only ever touches the
 * container's own cgroup, which is removed afterwards); with them every way fails.
 */
class LimitsCannotBeLiftedTest {
    private static final long LIMIT = 32L << 20;
    private String dir;
    private String file;

    @BeforeEach
    void cgroups() {
        Privileged.requireCgroups();
        boolean v1 = Cgroups.detect() != CgroupMode.V2;
        dir = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
        file = v1 ? "memory.limit_in_bytes" : "memory.max";
    }

    private String probe() {
        String fsType = dir.endsWith("memory") ? "-t cgroup -o memory cgroup" : "-t cgroup2 cgroup2";
        return "echo 4294967296 > " + dir + "/" + file + " 2>&1; echo write=$?;"
                + " mount -o remount,rw " + dir + " 2>&1; echo remount=$?;"
                + " mkdir -p /tmp/cg && mount " + fsType + " /tmp/cg 2>&1; echo mount=$?;"
                // v1: memory plus swap first, the kernel keeps memsw >= limit at every moment
                + " echo 4294967296 > /tmp/cg/memory.memsw.limit_in_bytes 2>/dev/null;"
                + " echo 4294967296 > /tmp/cg/" + file + "; cat " + dir + "/" + file;
    }

    private static SecureContainers limited() {
        SecureContainers c = new SecureContainers();
        c.limits = new Limits(LIMIT, null, null, null, null);
        return c;
    }

    @Test
    void withTheDefaultsTheMemoryLimitStays() {
        OneShot.Outcome r = limited().run("sh", "-c", probe());
        List<String> lines = r.lines();
        assertTrue(lines.contains("write=1"), r.stdout());
        assertTrue(lines.contains("remount=1"), r.stdout());
        assertTrue(lines.contains("mount=1"), r.stdout());
        assertEquals(Long.toString(LIMIT), lines.get(lines.size() - 1), r.stdout() + r.stderr());
    }

    @Test
    void withoutThemTheContainerRaisesItsOwnLimit() {
        SecureContainers c = limited();
        c.secure = false;
        OneShot.Outcome r = c.run("sh", "-c", probe());
        List<String> lines = r.lines();
        assertTrue(lines.contains("mount=0"), r.stdout());
        assertEquals("4294967296", lines.get(lines.size() - 1), r.stdout() + r.stderr());
    }
}
