package dev.minidocker.container.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The defaults a container gets, as docker and runc give them: the mounts every Linux container
 * has, the namespaces, docker's 14 capabilities, the paths it masks or makes read-only, and the
 * open-files limit. {@code mini run} starts from these and {@code mini-runc spec} writes them.
 */
public final class SpecDefaults {
    /** The PATH a container gets when neither the image nor the user sets one (docker's). */
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** docker's default capability set (moby's oci/caps/defaults.go lists these 14). */
    public static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Files of /proc and /sys that tell too much about the host or change it: covered up. */
    public static final List<String> MASKED_PATHS = List.of(
            "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", "/sys/firmware",
            "/sys/devices/virtual/powercap");

    /** Parts of /proc that stay visible but cannot be written. */
    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private SpecDefaults() {
    }

    /** The mounts of runtime-spec's config-linux.md "Default Filesystems", as runc's spec writes them. */
    public static List<ContainerSpec.Mount> mounts() {
        return List.of(
                new ContainerSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new ContainerSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new ContainerSpec.Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new ContainerSpec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new ContainerSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new ContainerSpec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new ContainerSpec.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
    }

    /** New PID, network, IPC, UTS, mount and cgroup namespaces (no user namespace: that is a choice). */
    public static List<ContainerSpec.Namespace> namespaces() {
        List<ContainerSpec.Namespace> l = new ArrayList<>();
        for (String t : List.of("pid", "network", "ipc", "uts", "mount", "cgroup")) {
            l.add(new ContainerSpec.Namespace(t, null));
        }
        return l;
    }

    public static ContainerSpec.Capabilities capabilities() {
        return new ContainerSpec.Capabilities(CAPABILITIES, CAPABILITIES, List.of(), CAPABILITIES, List.of());
    }

    /** The spec {@code mini-runc spec} writes: {@code sh} in ./rootfs, as runc's does. */
    public static ContainerSpec bundleSpec() {
        ContainerSpec.Process process = new ContainerSpec.Process(true, null, new ContainerSpec.User(0, 0, null, null),
                List.of("sh"), List.of("PATH=" + PATH, "TERM=xterm"), "/", capabilities(),
                List.of(new ContainerSpec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), true, null, null, null);
        ContainerSpec.Linux linux = new ContainerSpec.Linux(namespaces(), null, null, null, null,
                new ContainerSpec.Resources(List.of(new ContainerSpec.DeviceRule(false, null, null, null, "rwm")),
                        null, null, null, null, null),
                null, null, null, MASKED_PATHS, READONLY_PATHS, null, null);
        return new ContainerSpec(ContainerSpec.OCI_VERSION, process, new ContainerSpec.Root("rootfs", true), "mini",
                null, mounts(), null, Map.of(), linux);
    }
}
