package dev.minidocker.ch13;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.minidocker.sys.CloneFlags;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * setns(2) into a container's mount namespace, from a thread of this JVM, with and without
 * unshare(CLONE_FS) first. The kernel refuses (EINVAL) a caller whose root and working directory
 * (its fs_struct) are shared with other threads: switching them would move every thread of the
 * JVM into the container's files at once. A thread of its own fs_struct may go alone.
 */
public final class MountJoin {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;

    /** What one attempt gave: the errno name if setns failed, else what the thread read at path there. */
    public record Attempt(String error, String read) {
    }

    private MountJoin() {
    }

    // tag::mount-join[]
    /** On a new thread: open /proc/PID/ns/mnt, maybe unshare(CLONE_FS), setns, then read path as that namespace shows it. */
    public static Attempt join(int pid, boolean unshareFsFirst, String path) throws Exception {
        read("/proc/self/comm");                             // load what the thread needs while our files are the host's
        new Attempt(null, null).read();
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            int ns = Syscalls.open("/proc/" + pid + "/ns/mnt", O_RDONLY | O_CLOEXEC);
            try {
                if (unshareFsFirst) {
                    Syscalls.unshare(CloneFlags.CLONE_FS);   // this thread only: its own root, cwd and umask
                }
                Syscalls.setns(ns, CloneFlags.CLONE_NEWNS);  // now / is the container's root, for this thread
                result.complete(new Attempt(null, read(path)));
            } catch (SyscallException e) {
                result.complete(new Attempt(e.errnoName(), null));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                Native.libc().close(ns);
            }
        }, "ch13-setns");
        t.start();
        t.join();                                            // the thread ends; the JVM's other threads never moved
        return result.get();
    }
    // end::mount-join[]

    /** A small file's text, with open(2) and read(2): nothing here looks for classes on the (container's) disk. */
    static String read(String path) {
        int fd = Syscalls.open(path, O_RDONLY | O_CLOEXEC);
        try {
            byte[] buf = new byte[4096];
            long n = Native.libc().read(fd, buf, buf.length);
            return n <= 0 ? "" : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
        } finally {
            Native.libc().close(fd);
        }
    }
}
