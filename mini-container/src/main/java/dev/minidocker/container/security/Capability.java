package dev.minidocker.container.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Linux capabilities, numbered as in linux/capability.h (capabilities(7)). Root's power is
 * split into these; a container's root gets a few of them.
 */
public enum Capability {
    CAP_CHOWN(0), CAP_DAC_OVERRIDE(1), CAP_DAC_READ_SEARCH(2), CAP_FOWNER(3), CAP_FSETID(4), CAP_KILL(5),
    CAP_SETGID(6), CAP_SETUID(7), CAP_SETPCAP(8), CAP_LINUX_IMMUTABLE(9), CAP_NET_BIND_SERVICE(10),
    CAP_NET_BROADCAST(11), CAP_NET_ADMIN(12), CAP_NET_RAW(13), CAP_IPC_LOCK(14), CAP_IPC_OWNER(15),
    CAP_SYS_MODULE(16), CAP_SYS_RAWIO(17), CAP_SYS_CHROOT(18), CAP_SYS_PTRACE(19), CAP_SYS_PACCT(20),
    CAP_SYS_ADMIN(21), CAP_SYS_BOOT(22), CAP_SYS_NICE(23), CAP_SYS_RESOURCE(24), CAP_SYS_TIME(25),
    CAP_SYS_TTY_CONFIG(26), CAP_MKNOD(27), CAP_LEASE(28), CAP_AUDIT_WRITE(29), CAP_AUDIT_CONTROL(30),
    CAP_SETFCAP(31), CAP_MAC_OVERRIDE(32), CAP_MAC_ADMIN(33), CAP_SYSLOG(34), CAP_WAKE_ALARM(35),
    CAP_BLOCK_SUSPEND(36), CAP_AUDIT_READ(37), CAP_PERFMON(38), CAP_BPF(39), CAP_CHECKPOINT_RESTORE(40);

    private final int number;

    Capability(int number) {
        this.number = number;
    }

    /** The bit number the kernel uses (the argument of PR_CAPBSET_DROP, the bit in capset's masks). */
    public int number() {
        return number;
    }

    public long bit() {
        return 1L << number;
    }

    /** By number; null for a number this list does not know (a newer kernel's). */
    public static Capability ofNumber(int n) {
        for (Capability c : values()) {
            if (c.number == n) {
                return c;
            }
        }
        return null;
    }

    /**
     * A capability by the name docker and OCI use: {@code CAP_NET_ADMIN}, or as docker's flags also
     * take it, {@code NET_ADMIN} or {@code net_admin}.
     */
    public static Capability parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown capability \"" + name + "\" (capabilities(7) lists them, e.g. CAP_NET_ADMIN)");
        }
    }

    /** The bit mask of a list of names (null is the empty set). */
    public static long mask(List<String> names) {
        long m = 0;
        if (names != null) {
            for (String n : names) {
                m |= parse(n).bit();
            }
        }
        return m;
    }

    /** The names of the bits set in mask, lowest first. */
    public static List<String> names(long mask) {
        List<String> l = new ArrayList<>();
        for (Capability c : values()) {
            if ((mask & c.bit()) != 0) {
                l.add(c.name());
            }
        }
        return l;
    }

    /** Every capability this kernel has: bits 0 to /proc/sys/kernel/cap_last_cap. */
    public static long allOnThisKernel() {
        int last = lastCap();
        return last >= 63 ? -1L : (1L << (last + 1)) - 1;
    }

    /**
     * What "all capabilities" can mean for a container: those in the calling thread's own
     * bounding set (PR_CAPBSET_READ), which no process can exceed. A runtime that itself runs
     * without one (CAP_SYS_RESOURCE on these build machines) cannot give it away.
     */
    public static long allHeld() {
        long m = 0;
        for (int cap = 0; cap <= lastCap(); cap++) {
            if (dev.minidocker.sys.Syscalls.prctl(dev.minidocker.sys.Prctl.PR_CAPBSET_READ, cap) == 1) {
                m |= 1L << cap;
            }
        }
        return m;
    }

    /**
     * /proc/sys/kernel/cap_last_cap: the highest capability number the running kernel knows. Read
     * in one read(2): a sysctl number file answers only a read at offset 0, so a reader that
     * first asks for one byte (as Files.readString does for a file of size 0) gets "4" of "40".
     */
    public static int lastCap() {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/sys/kernel/cap_last_cap"))) {
            return Integer.parseInt(new String(in.readNBytes(32), java.nio.charset.StandardCharsets.US_ASCII).trim());
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read /proc/sys/kernel/cap_last_cap: " + e.getMessage(), e);
        }
    }
}
