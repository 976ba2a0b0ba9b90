package dev.minidocker.container.security;

import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.CapabilitySets;
import dev.minidocker.sys.Prctl;
import dev.minidocker.sys.Syscalls;

/**
 * Gives the calling thread exactly the capability sets of a spec. Two steps, because a user
 * switch lies between them (see {@link ProcessSecurity}): the bounding set first, while the
 * thread still has CAP_SETPCAP; then effective, permitted, inheritable and ambient.
 */
public final class CapabilityDrop {
    private CapabilityDrop() {
    }

    // tag::bounding[]
    /**
     * Drops every capability not listed from the bounding set. The bounding set limits what any
     * later execve can grant, even to root or to a setuid-root program, and nothing can add
     * back to it: this is the drop that holds.
     */
    public static void dropBounding(List<String> keep) {
        long kept = Capability.mask(keep);
        for (int cap = 0; cap <= Capability.lastCap(); cap++) {
            if ((kept & (1L << cap)) == 0) {
                Syscalls.prctl(Prctl.PR_CAPBSET_DROP, cap, 0, "PR_CAPBSET_DROP " + name(cap));
            }
        }
    }
    // end::bounding[]

    // tag::capset[]
    /**
     * Sets effective, permitted and inheritable with capset(2), then the ambient set (which the
     * kernel allows only for capabilities both permitted and inheritable). execve then computes
     * the new sets: a root process gets its bounding set back as permitted and effective, any
     * other user only what is ambient (capabilities(7), "Transformation of capabilities during execve").
     */
    public static void apply(ContainerSpec.Capabilities caps) {
        Syscalls.capset(new CapabilitySets(Capability.mask(caps.effective()), Capability.mask(caps.permitted()),
                Capability.mask(caps.inheritable())));
        Syscalls.prctl(Prctl.PR_CAP_AMBIENT, Prctl.PR_CAP_AMBIENT_CLEAR_ALL, 0, "PR_CAP_AMBIENT_CLEAR_ALL");
        if (caps.ambient() != null) {
            for (String name : caps.ambient()) {
                Syscalls.prctl(Prctl.PR_CAP_AMBIENT, Prctl.PR_CAP_AMBIENT_RAISE, Capability.parse(name).number(),
                        "PR_CAP_AMBIENT_RAISE " + name);
            }
        }
    }
    // end::capset[]

    private static String name(int cap) {
        Capability c = Capability.ofNumber(cap);
        return c == null ? Integer.toString(cap) : c.name();
    }
}
