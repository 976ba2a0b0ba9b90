package dev.minidocker.container.security;

import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;

/**
 * Where nothing enforces linux.resources.devices (no cgroup at all, or a cgroup v2 host where the
 * BPF device program cannot be loaded: a kernel without it, a sandbox that forbids bpf(2)), a
 * container's root could make a node for the host's disk with CAP_MKNOD and open it. There
 * CAP_MKNOD goes from every set: the container keeps the nodes its /dev was given, and can make
 * no others.
 */
public final class DeviceFallback {
    private DeviceFallback() {
    }

    /** Whether the spec restricts devices at all (a deny rule; --privileged allows everything). */
    public static boolean restricts(ContainerSpec spec) {
        ContainerSpec.Linux l = spec.linux();
        return l != null && l.resources() != null && l.resources().devices() != null
                && l.resources().devices().stream().anyMatch(r -> !r.allow());
    }

    // tag::device-fallback[]
    /** The spec, with CAP_MKNOD removed from the process's capability sets when enforced is false and the spec restricts devices. */
    public static ContainerSpec apply(ContainerSpec spec, boolean enforced) {
        ContainerSpec.Process p = spec.process();
        if (enforced || !restricts(spec) || p == null || p.capabilities() == null) {
            return spec;
        }
        ContainerSpec.Capabilities c = p.capabilities();
        ContainerSpec.Capabilities without = new ContainerSpec.Capabilities(drop(c.bounding()), drop(c.effective()),
                drop(c.inheritable()), drop(c.permitted()), drop(c.ambient()));
        return spec.withProcess(new ContainerSpec.Process(p.terminal(), p.consoleSize(), p.user(), p.args(), p.env(), p.cwd(),
                without, p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(), p.selinuxLabel()));
    }
    // end::device-fallback[]

    private static List<String> drop(List<String> caps) {
        return caps == null ? null : caps.stream().filter(n -> Capability.parse(n) != Capability.CAP_MKNOD).toList();
    }
}
