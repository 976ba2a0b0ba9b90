package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.MNT_DETACH;

import dev.minidocker.sys.Syscalls;

/**
 * Switching the root with pivot_root(2), the way runc does it: no temporary directory is
 * needed if the old root is stacked on top of the new one ({@code pivot_root(".", ".")}),
 * then lazily unmounted. Afterwards the host's files are not just hidden, they are no longer
 * in this mount namespace at all, so a chroot escape finds nothing to escape to.
 */
public final class PivotRoot {
    private PivotRoot() {
    }

    // tag::pivot-root[]
    public static void into(String newRoot) {
        // exercise:begin ch04-pivot-root "chdir(2) into newRoot, pivot_root('.', '.'), umount2('.', MNT_DETACH) the old root now stacked on top, then chdir('/')"
        Syscalls.chdir(newRoot);
        Syscalls.pivotRoot(".", ".");          // old root now sits on top of the new one, at "."
        Syscalls.umount2(".", MNT_DETACH);     // detach it: the host's tree is gone from here
        Syscalls.chdir("/");
        // exercise:end ch04-pivot-root
    }
    // end::pivot-root[]
}
