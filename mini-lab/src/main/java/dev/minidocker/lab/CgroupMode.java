package dev.minidocker.lab;

import java.util.List;

/**
 * How the guest lays out /sys/fs/cgroup: like a student's machine (pure cgroup v2, one unified
 * hierarchy) or like the build machines (hybrid: one v1 hierarchy per controller plus an empty
 * v2 tree at /sys/fs/cgroup/unified).
 */
public enum CgroupMode {
    /** {@code cgroup_no_v1=all} keeps every controller off v1, so all of them sit in the v2 tree. */
    V2("v2", List.of("cgroup_no_v1=all")),
    /** v1 controllers mounted one per hierarchy by the guest's init, the way systemd's hybrid mode does. */
    HYBRID("hybrid", List.of());

    private final String label;
    private final List<String> kernelParameters;

    CgroupMode(String label, List<String> kernelParameters) {
        this.label = label;
        this.kernelParameters = kernelParameters;
    }

    /** The word used on the command line and in the guest's run.conf. */
    public String label() {
        return label;
    }

    public List<String> kernelParameters() {
        return kernelParameters;
    }

    public static CgroupMode parse(String text) {
        for (CgroupMode mode : values()) {
            if (mode.label.equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown cgroup mode '" + text + "' (use v2 or hybrid)");
    }
}
