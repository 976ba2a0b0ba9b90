package dev.minidocker.container.security;

import java.util.List;

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

    /** The capability numbers of this kernel that are not in keep. */
    static int[] notIn(List<String> keep) {
        long kept = Capability.mask(keep);
        return java.util.stream.IntStream.rangeClosed(0, Capability.lastCap())
                .filter(cap -> (kept & (1L << cap)) == 0).toArray();
    }

    // tag::bounding[]
    /**
     * Drops capabilities from the bounding set. The bounding set limits what any later execve
     * can grant, even to root or to a setuid-root program, and nothing can add back to it: this
     * is the drop that holds.
     */
    static void dropBounding(int[] caps) {
        // exercise:begin ch16-bounding "drop each capability of caps from the bounding set: prctl(2) PR_CAPBSET_DROP with the capability's number (Syscalls.prctl names the call for its error)"
        for (int cap : caps) {
            Syscalls.prctl(Prctl.PR_CAPBSET_DROP, cap, 0, "PR_CAPBSET_DROP");
        }
        // exercise:end ch16-bounding
    }
    // end::bounding[]

    // tag::capset[]
    /**
     * Sets effective, permitted and inheritable with capset(2), then the ambient set (which the
     * kernel allows only for capabilities both permitted and inheritable). execve then computes
     * the new sets: a root process gets its bounding set back as permitted and effective, any
     * other user only what is ambient (capabilities(7), "Transformation of capabilities during execve").
     */
    static void apply(CapabilitySets sets, int[] ambient) {
        Syscalls.capset(sets);
        Syscalls.prctl(Prctl.PR_CAP_AMBIENT, Prctl.PR_CAP_AMBIENT_CLEAR_ALL, 0, "PR_CAP_AMBIENT_CLEAR_ALL");
        for (int cap : ambient) {
            Syscalls.prctl(Prctl.PR_CAP_AMBIENT, Prctl.PR_CAP_AMBIENT_RAISE, cap, "PR_CAP_AMBIENT_RAISE");
        }
    }
    // end::capset[]
}
