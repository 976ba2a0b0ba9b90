package dev.minidocker.sys;

/**
 * With MINI_TRACE=1, prints when each phase of a run was reached: the wall clock in
 * milliseconds (so the runtime's and the init stage's lines can be compared) and the time
 * since this JVM first traced. Shows where a container start spends its time, without a profiler.
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
                first = now;
            }
            System.err.printf("[trace %05d ms, +%4d ms in pid %d] %s%n", now % 100_000, now - first,
                    ProcessHandle.current().pid(), phase);
        }
    }
}
