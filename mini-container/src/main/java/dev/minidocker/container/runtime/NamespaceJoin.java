package dev.minidocker.container.runtime;

import java.util.List;

import dev.minidocker.container.ns.Namespace;
import dev.minidocker.sys.CloneFlags;
import dev.minidocker.sys.Syscalls;

/**
 * config.json's linux.namespaces applied to the calling thread: a namespace with a path (a
 * /proc/PID/ns file, or a bind mount of one such as an engine's network namespace) is joined with
 * setns(2), the others are created with one unshare(2). Joining a mount namespace needs a thread
 * that shares its filesystem attributes with no other, hence unshare(CLONE_FS) first.
 */
final class NamespaceJoin {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;

    private NamespaceJoin() {
    }

    /** OCI's namespace type names, mapped to the kernel's. */
    static Namespace of(String type) {
        return switch (type) {
            case "pid" -> Namespace.PID;
            case "network" -> Namespace.NET;
            case "mount" -> Namespace.MOUNT;
            case "ipc" -> Namespace.IPC;
            case "uts" -> Namespace.UTS;
            case "cgroup" -> Namespace.CGROUP;
            case "user" -> Namespace.USER;
            default -> throw new IllegalArgumentException("unknown namespace type \"" + type
                    + "\": use pid, network, mount, ipc, uts, cgroup or user");
        };
    }

    // tag::enter[]
    static void enter(List<dev.minidocker.container.spec.ContainerSpec.Namespace> namespaces) {
        int create = join(namespaces);
        if (create != 0) {
            Syscalls.unshare(create);
        }
    }

    /**
     * Joins the namespaces that have a path; returns the CLONE_NEW* flags of those to create (a new
     * user namespace and a new cgroup namespace are not among them: see {@link UserNamespaceStart}
     * and the init stage).
     */
    static int join(List<dev.minidocker.container.spec.ContainerSpec.Namespace> namespaces) {
        int create = 0;
        List<int[]> joins = new java.util.ArrayList<>(); // {fd, flag}
        try {
            for (var ns : namespaces) {
                Namespace kind = of(ns.type());
                boolean isNew = ns.path() == null || ns.path().isEmpty();
                if ((kind == Namespace.CGROUP || kind == Namespace.USER) && isNew) {
                    continue; // cgroup: made by the init stage itself, once it is in its cgroup
                }
                if (kind == Namespace.USER) {
                    // a multi-threaded process may not setns(CLONE_NEWUSER) (setns(2), EINVAL)
                    throw new IllegalStateException("joining a user namespace by path is not supported: a JVM is multi-threaded;"
                            + " let the runtime create one (a user namespace without a path, with uidMappings and gidMappings)");
                }
                if (isNew) {
                    create |= kind.flag();
                } else {
                    // every path is opened before any is joined: after the mount namespace, /proc is another one
                    joins.add(new int[] {Syscalls.open(ns.path(), O_RDONLY | O_CLOEXEC), kind.flag()});
                }
            }
            for (int[] j : joins) {
                // exercise:begin ch13-unshare-fs "before joining a mount namespace (j[1] is Namespace.MOUNT.flag()), give this thread a root, working directory and umask of its own: unshare(2) with CloneFlags.CLONE_FS; setns(CLONE_NEWNS) refuses a thread that shares them with the rest of the JVM (EINVAL)"
                if (j[1] == Namespace.MOUNT.flag()) {
                    Syscalls.unshare(CloneFlags.CLONE_FS); // setns(CLONE_NEWNS) refuses a thread sharing its fs_struct
                }
                // exercise:end ch13-unshare-fs
                Syscalls.setns(j[0], j[1]);
            }
        } finally {
            for (int[] j : joins) {
                Syscalls.close(j[0]);
            }
        }
        return create;
    }
    // end::enter[]
}
