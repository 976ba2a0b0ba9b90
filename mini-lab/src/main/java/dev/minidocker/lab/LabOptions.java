package dev.minidocker.lab;

import java.time.Duration;
import java.util.Locale;

/**
 * How to run the guest.
 *
 * @param memoryMiB guest RAM; the overlay's writes and /tmp live in it too
 * @param cpus      virtual CPUs; qemu runs each on its own host thread (multi-threaded TCG)
 * @param stats     print where the time went (boot, command) after the run
 * @param verbose   show the whole console (firmware, kernel messages, init) on stderr
 * @param interactive give the command this terminal: keys go to the guest (its tty), output comes
 *                  back as it is written, not line by line; qemu's Ctrl-A x stops the guest
 */
public record LabOptions(CgroupMode cgroup, Duration timeout, int memoryMiB, int cpus, boolean stats,
        boolean verbose, boolean interactive) {
    public static final int DEFAULT_MEMORY_MIB = 3072;
    public static final int DEFAULT_CPUS = 1;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public LabOptions(CgroupMode cgroup, Duration timeout, int memoryMiB) {
        this(cgroup, timeout, memoryMiB, DEFAULT_CPUS, false, false, false);
    }

    public static LabOptions defaults() {
        return new LabOptions(CgroupMode.V2, DEFAULT_TIMEOUT, DEFAULT_MEMORY_MIB);
    }

    /** "3072m", "3g" or a plain number of MiB, as for qemu's -m. */
    public static int parseMemory(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long factor = 1;
        if (t.endsWith("g")) {
            factor = 1024;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long mib = Long.parseLong(t) * factor;
            if (mib < 256 || mib > 65536) {
                throw new IllegalArgumentException("guest memory must be between 256m and 64g, not " + text);
            }
            return (int) mib;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad memory size '" + text + "' (use e.g. 3072m or 3g)");
        }
    }
}
