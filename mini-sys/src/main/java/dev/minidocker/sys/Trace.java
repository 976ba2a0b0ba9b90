package dev.minidocker.sys;

/**
 * With MINI_TRACE=1, prints when each phase of a run was reached: the wall clock in
 * milliseconds (so the runtime's and the init stage's lines can be compared) and the time
 * since this process started (so the first line shows what the JVM took to reach main; the
 * kernel counts in clock ticks, 10 ms). Shows where a container start spends its time, without a profiler.
 */
public final class Trace {
    private static final boolean ON = "1".equals(System.getenv("MINI_TRACE"));
    private static long first;

    private Trace() {
    }

    public static synchronized void mark(String phase) {
        if (ON) {
            long now = System.currentTimeMillis();
            if (first == 0) {
                first = processStart(now);
            }
            System.err.printf("[trace %05d ms, +%4d ms in pid %d] %s%n", now % 100_000, now - first,
                    ProcessHandle.current().pid(), phase);
        }
    }

    /**
     * When this process started, from proc(5): /proc/self/stat's starttime (field 22, in clock ticks
     * since boot, 100 a second) against /proc/uptime. (Not ProcessHandle: in a new PID namespace
     * with the host's /proc still mounted, PID 1 there is the host's init.)
     */
    private static long processStart(long now) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // from field 3, the state
            long startTicks = Long.parseLong(fields[22 - 3]);
            double uptime = Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).split(" ")[0]);
            return now - (long) (uptime * 1000) + startTicks * 10;
        } catch (java.io.IOException | RuntimeException e) {
            return now;
        }
    }
}
