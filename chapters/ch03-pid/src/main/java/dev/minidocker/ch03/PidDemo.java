package dev.minidocker.ch03;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Spawn;
import dev.minidocker.sys.Syscalls;

/** The two surprises of a PID namespace in a JVM, shown on a throwaway thread. */
public final class PidDemo {
    private PidDemo() {
    }

    // tag::no-threads-after-newpid[]
    /**
     * After unshare(CLONE_NEWPID) the thread's future children go into the new namespace, and
     * a new thread would be a "child" in a namespace its process is not in: pthread_create
     * fails with EINVAL, which the JVM reports as an OutOfMemoryError.
     */
    public static String startThreadAfterUnsharingPid() {
        AtomicReference<String> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Namespaces.unshare(EnumSet.of(Namespace.PID));
            try {
                Thread inner = new Thread(() -> { });
                inner.start();
                inner.join();
                result.set("started a thread");
            } catch (OutOfMemoryError e) {
                result.set("cannot start a thread: " + e.getMessage());
            } catch (InterruptedException e) {
                result.set("interrupted");
            }
        });
        t.start();
        join(t);
        return result.get();
    }
    // end::no-threads-after-newpid[]

    /** What a shell spawned straight into a new PID namespace (no init stage) reports. */
    public record Seen(String pidOfShell, int processesInProc) {
    }

    // tag::spawn-without-init[]
    /**
     * posix_spawn from the unshared thread: the shell is PID 1 of the new namespace, but /proc
     * is still the host's mount, so it lists every process of the host.
     */
    public static Seen spawnShellWithoutInit() {
        Path out = tempFile();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Native.warmUp();
        Thread t = new Thread(() -> {
            try {
                Namespaces.unshare(EnumSet.of(Namespace.PID));
                int pid = new Spawn(List.of("/bin/sh", "-c", "echo $$; ls /proc | grep -c '^[0-9]'"), List.of("PATH=/usr/bin:/bin"))
                        .openForWriting(1, out.toString())
                        .start();
                Syscalls.waitpid(pid);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        t.start();
        join(t);
        if (failure.get() != null) {
            throw failure.get();
        }
        try {
            List<String> lines = Files.readAllLines(out);
            return new Seen(lines.get(0).trim(), Integer.parseInt(lines.get(1).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.toFile().delete();
        }
    }
    // end::spawn-without-init[]

    private static Path tempFile() {
        try {
            return Files.createTempFile("ch03", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
