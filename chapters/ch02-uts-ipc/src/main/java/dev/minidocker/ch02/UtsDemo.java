package dev.minidocker.ch02;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;

import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.sys.Syscalls;

/**
 * unshare(2) in a JVM moves only the calling thread. That makes a neat experiment: one
 * thread gets a new UTS namespace and renames "its" machine while the rest of the JVM, and
 * the host, keep the old name. The thread ends, and its namespace with it.
 */
public final class UtsDemo {
    private UtsDemo() {
    }

    /** What each side saw. */
    public record Observation(String hostnameInside, String namespaceInside, String hostnameOutside, String namespaceOutside) {
    }

    /** The hostname as this thread's UTS namespace has it (the file is per namespace). */
    public static String hostnameOfThisThread() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // tag::rename-in-new-namespace[]
    public static Observation renameInNewNamespace(String newName) {
        AtomicReference<String[]> inside = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Namespaces.unshare(EnumSet.of(Namespace.UTS, Namespace.IPC)); // this thread only
                Syscalls.sethostname(newName);
                inside.set(new String[] {hostnameOfThisThread(), Namespaces.identityOfThisThread(Namespace.UTS)});
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        t.start();
        join(t);
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Observation(inside.get()[0], inside.get()[1],
                hostnameOfThisThread(), Namespaces.identityOfThisThread(Namespace.UTS));
    }
    // end::rename-in-new-namespace[]

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
