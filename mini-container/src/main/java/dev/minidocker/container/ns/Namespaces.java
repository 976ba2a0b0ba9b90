package dev.minidocker.container.ns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import dev.minidocker.sys.Syscalls;

/** Entering new namespaces with unshare(2), and telling which namespace a process is in. */
public final class Namespaces {
    /** What a container gets by default: everything but user and cgroup namespaces. */
    public static final Set<Namespace> CONTAINER =
            EnumSet.of(Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.MOUNT, Namespace.PID);

    private Namespaces() {
    }

    /** The unshare(2) flags for a set of namespaces. */
    public static int flags(Set<Namespace> namespaces) {
        // exercise:begin ch02-unshare-flags "OR together the CLONE_NEW* flag of every namespace in the set (Namespace.flag())"
        int flags = 0;
        for (Namespace ns : namespaces) {
            flags |= ns.flag();
        }
        return flags;
        // exercise:end ch02-unshare-flags
    }

    // tag::unshare[]
    /**
     * Moves the calling thread into new namespaces. In a JVM this affects only the calling
     * thread; after a new PID namespace the thread can no longer start threads, and only its
     * children are inside it (see PLATFORM facts in the book).
     */
    public static void unshare(Set<Namespace> namespaces) {
        Syscalls.unshare(flags(namespaces));
    }
    // end::unshare[]

    /**
     * The identity of the namespace a thread is in, as the kernel shows it: the link
     * /proc/PID/task/TID/ns/NAME reads {@code uts:[4026531838]}.
     */
    public static String identity(Namespace ns, String procTaskPath) {
        try {
            return Files.readSymbolicLink(Path.of(procTaskPath, "ns", ns.procName())).toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + procTaskPath + "/ns/" + ns.procName() + ": " + e.getMessage(), e);
        }
    }

    /** The namespace identity of the calling thread. */
    public static String identityOfThisThread(Namespace ns) {
        return identity(ns, "/proc/thread-self");
    }
}
