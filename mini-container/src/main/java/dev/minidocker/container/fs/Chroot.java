package dev.minidocker.container.fs;

import dev.minidocker.sys.Syscalls;

/**
 * chroot(2) only changes how "/" is resolved for this process. The host's tree is still in
 * the mount namespace, and a root process can leave: chroot into a subdirectory, then walk
 * ".." from a working directory outside that new root (chroot(2) NOTES). Kept to show why
 * containers use pivot_root instead.
 */
public final class Chroot {
    private Chroot() {
    }

    // tag::chroot[]
    public static void into(String newRoot) {
        Syscalls.chdir(newRoot);
        Syscalls.chroot(".");
        Syscalls.chdir("/");
    }
    // end::chroot[]
}
