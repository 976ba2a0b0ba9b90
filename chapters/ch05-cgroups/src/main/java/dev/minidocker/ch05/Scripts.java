package dev.minidocker.ch05;

/** The workloads of the chapter, as shell scripts any /bin/sh (dash, busybox) runs. */
public final class Scripts {
    private Scripts() {
    }

    /**
     * Asks dd for ever larger buffers filled from /dev/zero; every page dd touches is charged to
     * the cgroup, so the first one too big for the limit gets dd OOM-killed.
     */
    public static String growingAllocation(int... mebibytes) {
        StringBuilder s = new StringBuilder();
        for (int mib : mebibytes) {
            s.append("printf 'allocating ").append(mib).append(" MiB... '; ")
             .append("dd if=/dev/zero of=/dev/null bs=").append(mib * 1024L * 1024).append(" count=1 2>/dev/null; ")
             .append("st=$?; if [ $st -eq 0 ]; then echo ok; else echo \"dd exited with status $st\"; fi; ");
        }
        return s.toString();
    }

    /** Starts sleepers in the background until fork fails (or 64 are running). */
    public static String forkUntilRefused() {
        return "i=0; while [ $i -lt 64 ]; do sleep 30 >/dev/null 2>&1 & i=$((i+1)); echo \"sleeper $i\"; done; echo 'all 64 started'";
    }

    /** Two busy loops: enough to use two CPUs if nothing stopped them. */
    public static String twoBusyLoops() {
        return "(while :; do :; done) & while :; do :; done";
    }
}
