package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.MS_PRIVATE;
import static dev.minidocker.sys.MountFlags.MS_REC;

import dev.minidocker.sys.Syscalls;

/**
 * A new mount namespace starts as a copy of its parent's. If the parent's mounts are "shared"
 * (systemd makes / shared), mounts made in the copy propagate back to the host
 * (mount_namespaces(7), "Shared subtrees"). So the first thing the container does is make
 * every mount private, like {@code mount --make-rprivate /}.
 */
public final class MountPropagation {
    private MountPropagation() {
    }

    // tag::make-private[]
    public static void makeAllPrivate() {
        // exercise:begin ch04-make-private "mount(2) with no source or type, target '/', flags MS_REC | MS_PRIVATE"
        Syscalls.mount(null, "/", null, MS_REC | MS_PRIVATE, null);
        // exercise:end ch04-make-private
    }
    // end::make-private[]
}
