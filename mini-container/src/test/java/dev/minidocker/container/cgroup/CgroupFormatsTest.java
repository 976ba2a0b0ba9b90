package dev.minidocker.container.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The formats of the files a cgroup is read through, and of /proc/self/mountinfo. */
class CgroupFormatsTest {
    /** This build machine's /proc/self/mountinfo, cgroup lines. */
    private static final String HYBRID = String.join("\n",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
    /** A Debian 12 laptop: systemd's unified tree, one optional field before the separator. */
    private static final String V2 = String.join("\n",
            "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw",
            "29 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot");
    /** An old CentOS 7 style host: v1 only, cpu and cpuacct mounted together. */
    private static final String V1 = String.join("\n",
            "25 18 0:21 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:6 - tmpfs tmpfs ro,mode=755",
            "28 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpuacct,cpu",
            "30 25 0:26 / /sys/fs/cgroup/memory rw,nosuid shared:12 - cgroup cgroup rw,memory");

    @Test
    void mountinfoTellsTheModeApart() {
        assertEquals(CgroupMode.HYBRID, CgroupMode.fromMountinfo(HYBRID));
        assertEquals(CgroupMode.V2, CgroupMode.fromMountinfo(V2));
        assertEquals(CgroupMode.V1, CgroupMode.fromMountinfo(V1));
        CgroupException e = assertThrows(CgroupException.class,
                () -> CgroupMode.fromMountinfo("22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/sda1 rw"));
        assertTrue(e.getMessage().startsWith("no cgroup file system is mounted"), e.getMessage());
    }

    @Test
    void thisHostIsDetected() {
        // whatever the host, detection must name one of the modes without failing
        assertTrue(Cgroups.detect() != null);
    }

    @Test
    void keyedFilesOfBothVersionsParse() {
        Map<String, Long> events = CgroupFile.parseKeyed("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
        assertEquals(1L, events.get("oom_kill"));
        assertEquals(12L, events.get("max"));
        Map<String, Long> oomControl = CgroupFile.parseKeyed("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        assertEquals(3L, oomControl.get("oom_kill"));
        Map<String, Long> cpuStat = CgroupFile.parseKeyed(
                "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 20\nnr_throttled 10\nthrottled_usec 500\n");
        assertEquals(1_500_000L, cpuStat.get("usage_usec"));
        assertEquals(10L, cpuStat.get("nr_throttled"));
    }

    @Test
    void limitValuesReadAsMinusOneWhenUnlimited() {
        assertEquals(-1, CgroupFile.parseLimit("max"));                 // v2
        assertEquals(-1, CgroupFile.parseLimit("9223372036854771712")); // v1 memory.limit_in_bytes
        assertEquals(67108864, CgroupFile.parseLimit("67108864"));
        assertEquals(-1, CgroupFile.parseLimit("-1"));                  // v1 cpu.cfs_quota_us
    }

    @Test
    void statsDescribeThemselves() {
        CgroupStats s = new CgroupStats(3 * 1024 * 1024, 40 * 1024 * 1024, 64 * 1024 * 1024, 1_250_000_000L, 2, 32, 1);
        assertEquals("memory 3 MiB / 64 MiB (peak 40 MiB), cpu 1.25 s, pids 2 / 32, oom kills 1", s.describe());
        CgroupStats bare = new CgroupStats(-1, -1, -1, 5_000_000L, 1, -1, 0);
        assertEquals("memory ?, cpu 0.01 s, pids 1", bare.describe());
    }
}
