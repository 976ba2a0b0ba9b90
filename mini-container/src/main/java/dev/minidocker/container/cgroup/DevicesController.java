package dev.minidocker.container.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.bpf.BpfInsn;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Bpf;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Syscalls;

/**
 * The v1 devices controller: which device nodes the container's processes may open (r, w) or
 * create (m). Capabilities do not cover this: with CAP_MKNOD, which docker's defaults keep, root
 * can make a node for the host's disk, and opening a block device needs no capability at all.
 * The defaults are docker's and runc's: deny everything, then allow mknod of any node and the
 * use of the harmless ones the container's /dev holds.
 *
 * <p>cgroup v2 has no such files: there the kernel asks a BPF program attached to the cgroup
 * (BPF_CGROUP_DEVICE), which {@link DeviceFilter} writes from the same rules.
 */
public final class DevicesController {
    /** Every device refused: what docker writes into a spec (linux.resources.devices) for a container. */
    public static final List<ContainerSpec.DeviceRule> DENY_ALL = List.of(rule(false, "a", null, null, "rwm"));

    /**
     * What every container may use whatever its spec says, appended after the spec's own rules as
     * runc does (its AllowedDevices): mknod of any node, and the nodes the container's /dev holds.
     */
    public static final List<ContainerSpec.DeviceRule> ALLOWED = List.of(
            rule(true, "c", null, null, "m"),      // mknod of any node: opening it is what matters
            rule(true, "b", null, null, "m"),
            rule(true, "c", 1L, 3L, "rwm"),        // /dev/null
            rule(true, "c", 1L, 5L, "rwm"),        // /dev/zero
            rule(true, "c", 1L, 7L, "rwm"),        // /dev/full
            rule(true, "c", 1L, 8L, "rwm"),        // /dev/random
            rule(true, "c", 1L, 9L, "rwm"),        // /dev/urandom
            rule(true, "c", 5L, 0L, "rwm"),        // /dev/tty
            rule(true, "c", 5L, 1L, "rwm"),        // /dev/console
            rule(true, "c", 5L, 2L, "rwm"),        // /dev/ptmx
            rule(true, "c", 136L, null, "rwm"),    // /dev/pts/*
            rule(true, "c", 10L, 200L, "rwm"));    // /dev/net/tun

    /** docker's default: deny all, then the allowed ones. */
    public static final List<ContainerSpec.DeviceRule> DEFAULT_RULES = rulesFor(DENY_ALL, null);

    /**
     * The rules to write for a spec: its linux.resources.devices, then {@link #ALLOWED}, then one
     * allow rule for each node of linux.devices (the container was given those on purpose).
     */
    public static List<ContainerSpec.DeviceRule> rulesFor(List<ContainerSpec.DeviceRule> spec, List<ContainerSpec.Device> devices) {
        List<ContainerSpec.DeviceRule> l = new java.util.ArrayList<>(spec == null ? List.of() : spec);
        l.addAll(ALLOWED);
        for (ContainerSpec.Device d : devices == null ? List.<ContainerSpec.Device>of() : devices) {
            if (d.type().equals("c") || d.type().equals("b")) {
                l.add(rule(true, d.type(), d.major(), d.minor(), "rwm"));
            } else if (d.type().equals("u")) {
                l.add(rule(true, "c", d.major(), d.minor(), "rwm")); // "u": an unbuffered character device
            }
        }
        return List.copyOf(l);
    }

    /** The program's licence (the kernel asks; only GPL-only helpers care, and the program calls none). */
    static final String LICENSE = "MIT";

    private DevicesController() {
    }

    /** Whether this cgroup has a v1 devices directory to write rules to. */
    public static boolean supported(Cgroup cgroup) {
        return Files.exists(cgroup.file("devices.allow"));
    }

    /** Whether this cgroup is a v2 one, where the rules become a BPF program. */
    static boolean unified(Cgroup cgroup) {
        return cgroup.directories().size() == 1 && Files.exists(cgroup.path().resolve("cgroup.controllers"));
    }

    // tag::devices[]
    /**
     * Enforces the rules on the cgroup. v1: each rule is written in order as {@code TYPE MAJOR:MINOR ACCESS}
     * to devices.allow or devices.deny ({@code a} alone for all devices). v2: the rules become one
     * BPF program attached to the cgroup's directory. Returns false, doing nothing, when the cgroup
     * has neither.
     */
    public static boolean apply(Cgroup cgroup, List<ContainerSpec.DeviceRule> rules) {
        if (unified(cgroup)) {
            attachProgram(cgroup.path(), rules);
            return true;
        }
        if (!supported(cgroup)) {
            return false;
        }
        for (ContainerSpec.DeviceRule r : rules) {
            Path file = cgroup.file(r.allow() ? "devices.allow" : "devices.deny");
            CgroupFile.write(file, format(r));
        }
        return true;
    }
    // end::devices[]

    // tag::attach[]
    /**
     * Loads the program for rules and attaches it to the v2 cgroup at dir, with BPF_F_ALLOW_MULTI as
     * runc does (programs of the cgroups above still run: each must allow). Both descriptors are
     * closed afterwards: the attachment holds the program until the cgroup is removed.
     */
    public static void attachProgram(Path dir, List<ContainerSpec.DeviceRule> rules) {
        int prog = Bpf.progLoad(Bpf.BPF_PROG_TYPE_CGROUP_DEVICE, BpfInsn.encode(DeviceFilter.program(rules)), LICENSE);
        try {
            int cgroupFd = Syscalls.open(dir.toString(), Mman.O_RDONLY | Mman.O_DIRECTORY | Mman.O_CLOEXEC);
            try {
                Bpf.progAttach(cgroupFd, prog, Bpf.BPF_CGROUP_DEVICE, Bpf.BPF_F_ALLOW_MULTI);
            } finally {
                Syscalls.close(cgroupFd);
            }
        } finally {
            Syscalls.close(prog);
        }
    }
    // end::attach[]

    /** Loads the program for the default rules and closes it: a SyscallException says why this kernel will not. */
    public static void checkProgramLoads() {
        Syscalls.close(Bpf.progLoad(Bpf.BPF_PROG_TYPE_CGROUP_DEVICE, BpfInsn.encode(DeviceFilter.program(DEFAULT_RULES)), LICENSE));
    }

    /** "c 1:3 rwm", "c 136:* rwm", or "a" for every device. */
    public static String format(ContainerSpec.DeviceRule r) {
        String type = r.type() == null ? "a" : r.type();
        if (type.equals("a")) {
            return "a";
        }
        if (!type.equals("c") && !type.equals("b")) {
            throw new IllegalArgumentException("device rule type must be a, b or c, not " + type);
        }
        String access = r.access() == null || r.access().isEmpty() ? "rwm" : r.access();
        if (!access.matches("[rwm]{1,3}")) {
            throw new IllegalArgumentException("device rule access must be made of r, w and m, not " + access);
        }
        return type + " " + (r.major() == null ? "*" : r.major()) + ":" + (r.minor() == null ? "*" : r.minor()) + " " + access;
    }

    private static ContainerSpec.DeviceRule rule(boolean allow, String type, Long major, Long minor, String access) {
        return new ContainerSpec.DeviceRule(allow, type, major, minor, access);
    }
}
