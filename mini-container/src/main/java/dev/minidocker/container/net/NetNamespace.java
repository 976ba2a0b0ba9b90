package dev.minidocker.container.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.minidocker.sys.CloneFlags;
import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.MountFlags;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * A network namespace that lives without a process in it, the way {@code ip netns add} makes
 * one: a thread unshares CLONE_NEWNET, and its /proc/thread-self/ns/net is bind-mounted onto a
 * file. As long as that mount exists, so does the namespace; an engine hands the file's path to
 * the runtime in config.json ({@code linux.namespaces: [{"type":"network","path":...}]}), and the
 * runtime joins it with setns(2).
 *
 * <p>unshare(2) and setns(2) of a network namespace change only the calling thread, so each is
 * done on a thread of its own that ends afterwards: no other thread of this JVM ever moves.
 */
public final class NetNamespace {
    private final Path path;

    private NetNamespace(Path path) {
        this.path = path;
    }

    /** The namespace whose bind mount is at path (made earlier, perhaps by another process). */
    public static NetNamespace at(Path path) {
        return new NetNamespace(path);
    }

    public Path path() {
        return path;
    }

    // tag::create[]
    /** A new, empty network namespace (only a loopback link, down), pinned at path. */
    public static NetNamespace create(Path path) {
        try {
            Files.createDirectories(path.getParent());
            Files.createFile(path);                       // the mount point: an empty file
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + path + ": " + e, e);
        }
        try {
            onThread("unshare net", () -> {
                Syscalls.unshare(CloneFlags.CLONE_NEWNET);  // this thread only
                Syscalls.mount("/proc/thread-self/ns/net", path.toString(), null, MountFlags.MS_BIND, null);
                return null;
            });                                            // the thread ends; the mount keeps the namespace
        } catch (RuntimeException e) {
            deleteQuietly(path);
            throw e;
        }
        return new NetNamespace(path);
    }
    // end::create[]

    // tag::enter[]
    /** Runs body on a thread that has joined this namespace with setns(2); returns its result. */
    public <T> T call(Callable<T> body) {
        return onThread("setns " + path, () -> {
            int fd = openFd();
            try {
                Syscalls.setns(fd, CloneFlags.CLONE_NEWNET);
            } finally {
                Syscalls.close(fd);
            }
            return body.call();
        });
    }
    // end::enter[]

    /** A route socket of this namespace, usable from any thread (a socket stays in the namespace it was made in). */
    public RouteSocket openRouteSocket() {
        return call(RouteSocket::open);
    }

    /** An O_RDONLY|O_CLOEXEC descriptor of the namespace, for setns(2) or IFLA_NET_NS_FD; the caller closes it. */
    public int openFd() {
        return Syscalls.open(path.toString(), Mman.O_RDONLY | Mman.O_CLOEXEC);
    }

    /** Whether the bind mount is still there (an unmounted file is only an empty file). */
    public boolean exists() {
        String p = path.toAbsolutePath().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.anyMatch(l -> l.split(" ")[4].equals(p)); // field 5: the mount point
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mountinfo: " + e, e);
        }
    }

    // tag::remove[]
    /**
     * Unmounts and deletes the file. The namespace itself ends when nothing holds it any more:
     * no process inside, no other mount, no open descriptor. Its links go with it (a veth's
     * other end too). Removing what is already gone is not an error.
     */
    public void remove() {
        try {
            Syscalls.umount2(path.toString(), MountFlags.MNT_DETACH);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        deleteQuietly(path);
    }
    // end::remove[]

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a file left behind holds no namespace; the next create of the same id replaces it
        }
    }

    /** Runs body on a fresh thread and waits for it; its exception is rethrown here. */
    private static <T> T onThread(String name, Callable<T> body) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "netns: " + name);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the thread is in the middle of a system call: let it finish
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
        return result.get();
    }
}
