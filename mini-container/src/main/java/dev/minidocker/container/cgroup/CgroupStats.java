package dev.minidocker.container.cgroup;

import java.util.Locale;

/**
 * What a cgroup's files say about its processes at one moment. Numbers the kernel does not
 * offer here (a controller not enabled, {@code memory.peak} before Linux 5.19) are -1, and so are
 * limits that are not set.
 *
 * @param memoryCurrent  bytes charged now (v2 {@code memory.current}, v1 {@code memory.usage_in_bytes})
 * @param memoryPeak     most bytes ever charged (v2 {@code memory.peak}, v1 {@code memory.max_usage_in_bytes})
 * @param memoryLimit    the limit in bytes, -1 for none
 * @param cpuUsageNanos  CPU time used by all its tasks (v2 {@code cpu.stat usage_usec}, v1 {@code cpuacct.usage})
 * @param pids           tasks now ({@code pids.current})
 * @param pidsLimit      {@code pids.max}, -1 for none
 * @param oomKills       tasks the OOM killer killed here ({@code oom_kill} in v2 {@code memory.events}, v1 {@code memory.oom_control})
 */
public record CgroupStats(long memoryCurrent, long memoryPeak, long memoryLimit, long cpuUsageNanos,
                          int pids, int pidsLimit, long oomKills) {

    /** One line for {@code mini stats}, e.g. {@code memory 3.2 MiB / 64 MiB (peak 40 MiB), cpu 1.25 s, pids 2 / 32}. */
    public String describe() {
        StringBuilder b = new StringBuilder("memory ").append(bytes(memoryCurrent));
        if (memoryLimit >= 0) {
            b.append(" / ").append(ByteSize.format(memoryLimit));
        }
        if (memoryPeak >= 0) {
            b.append(" (peak ").append(ByteSize.format(memoryPeak)).append(')');
        }
        b.append(", cpu ").append(cpuUsageNanos < 0 ? "?" : String.format(Locale.ROOT, "%.2f s", cpuUsageNanos / 1e9));
        b.append(", pids ").append(pids < 0 ? "?" : Integer.toString(pids));
        if (pidsLimit >= 0) {
            b.append(" / ").append(pidsLimit);
        }
        if (oomKills > 0) {
            b.append(", oom kills ").append(oomKills);
        }
        return b.toString();
    }

    private static String bytes(long n) {
        return n < 0 ? "?" : ByteSize.format(n);
    }
}
