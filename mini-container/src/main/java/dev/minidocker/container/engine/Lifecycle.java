package dev.minidocker.container.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.net.Networking;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.ExitStatus;
import dev.minidocker.sys.Signals;

/**
 * The engine's side of a container's life after create: stop, kill, wait, remove, and the
 * clean-up when it ended ({@link #reap}, what the monitor's exit command runs). Each works from
 * what is on disk, so any {@code mini} command can do it, whoever started the container.
 */
public final class Lifecycle {
    private final Path miniRoot;
    private final Path runRoot;
    private final Containers containers;
    private final ContainerRuntime runtime;

    public Lifecycle(Path miniRoot, Path runRoot) {
        this.miniRoot = miniRoot;
        this.runRoot = runRoot;
        this.containers = new Containers(miniRoot);
        this.runtime = new ContainerRuntime(ForegroundRun.runtimeRoot(miniRoot));
    }

    public Containers containers() {
        return containers;
    }

    /** The container by name, ID or unique prefix, or a one-line error. */
    public ContainerState find(String ref) {
        return containers.find(ref).orElseThrow(() -> new ContainerException(ExitStatus.RUNTIME_ERROR,
                "no such container: " + ref + " ('mini ps -a' lists them)"));
    }

    /** Holds the container's engine lock (a flock in its directory) until closed: start and reap never interleave. */
    public static AutoCloseable lock(Path bundle) {
        if (!Files.isDirectory(bundle)) {
            // removed meanwhile (rm, --rm): nothing to hold, and nothing may be made again there
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "the container's directory " + bundle + " is gone");
        }
        try {
            FileChannel ch = FileChannel.open(bundle.resolve("engine.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.lock();
            return () -> {
                l.release();
                ch.close();
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + bundle + ": " + e.getMessage(), e);
        }
    }

    // tag::reap[]
    /**
     * After a detached container's PID 1 ended (the monitor wrote its status): delete it from the
     * runtime (cgroup, state), release its network, record how it ended; with --rm remove it all.
     */
    public void reap(String id) {
        Optional<ContainerState> found = containers.find(id);
        if (found.isEmpty() || !Files.isDirectory(Path.of(found.get().bundle()))) {
            return;
        }
        try (AutoCloseable l = lock(Path.of(found.get().bundle()))) {
            ContainerState s = containers.find(id).orElse(null);
            if (s == null || (!ContainerState.STOPPED.equals(s.status()) && pid1Runs(s))) {
                return; // started again meanwhile (mini start, a restart policy): it has a live monitor
            }
            if (Files.isDirectory(runtime.store().dir(s.id()))) {
                runtime.delete(s.id(), true);
            }
            try {
                new Networking(miniRoot, runRoot).detach(s.id());
            } catch (RuntimeException e) {
                System.err.println("mini: " + e.getMessage());
            }
            if (s.autoRemove()) {
                containers.remove(s);
                return;
            }
            Integer code = exitCode(s);
            String finished = s.finished() != null && ContainerState.STOPPED.equals(s.status()) ? s.finished() : Instant.now().toString();
            containers.save(s.withStatus(ContainerState.STOPPED, 0, code).withTimes(s.started(), finished)
                    .withOwner(0, 0, s.detached()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
    // end::reap[]

    /** Whether the runtime still has the container's PID 1 running (its monitor is then only about to exit, or alive). */
    private boolean pid1Runs(ContainerState s) {
        try {
            return Files.isDirectory(runtime.store().dir(s.id()))
                    && runtime.state(s.id()).status() != dev.minidocker.container.runtime.Status.STOPPED;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Integer exitCode(ContainerState s) {
        Path f = containers.exitFile(s.id());
        try {
            return Files.isRegularFile(f) ? Integer.valueOf(Files.readString(f).trim()) : s.exitCode();
        } catch (IOException | NumberFormatException e) {
            return s.exitCode();
        }
    }

    /** The mark a stop or kill leaves, so that a restart policy does not start the container again. */
    public static Path stoppedByUser(ContainerState s) {
        return Path.of(s.bundle()).resolve("stopped-by-user");
    }

    private static void markStopped(ContainerState s) {
        try {
            Files.writeString(stoppedByUser(s), "");
        } catch (IOException e) {
            // removed meanwhile
        }
    }

    /** Sends signal to the container's PID 1. */
    public void kill(ContainerState s, int signal) {
        if (!ContainerState.RUNNING.equals(s.status()) || !pid1Alive(s)) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "container " + s.name() + " is not running");
        }
        markStopped(s);
        signal(s, signal);
    }

    /**
     * Whether the container's PID 1 is still the process the runtime started: the runtime checks its
     * start time, so a PID that a dead container left and another process took is not mistaken for it.
     */
    private boolean pid1Alive(ContainerState s) {
        try {
            return runtime.store().exists(s.id()) && runtime.state(s.id()).status() != dev.minidocker.container.runtime.Status.STOPPED;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A signal to PID 1 through the runtime (which checks it is still the container's); nothing if it is gone. */
    private void signal(ContainerState s, int signal) {
        try {
            runtime.kill(s.id(), signal, false);
        } catch (RuntimeException e) {
            // it ended meanwhile
        }
    }

    // tag::stop[]
    /** docker stop: SIGTERM, then SIGKILL after timeoutSeconds if PID 1 is still there; then the clean-up. */
    public ContainerState stop(ContainerState s, int timeoutSeconds) throws InterruptedException {
        if (ContainerState.RUNNING.equals(s.status()) && pid1Alive(s)) {
            markStopped(s);
            signal(s, Signals.SIGTERM);
            // a PID 1 ignores signals it has no handler for: SIGTERM may do nothing
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            while (pid1Alive(s) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (pid1Alive(s)) {
                signal(s, Signals.SIGKILL);
            }
        }
        return await(s);
    }
    // end::stop[]

    /** Waits until the container has stopped and its clean-up is done; its state then. */
    public ContainerState await(ContainerState s) throws InterruptedException {
        while (true) {
            ContainerState now = containers.find(s.id()).orElse(null);
            if (now == null) {
                return s.withStatus(ContainerState.STOPPED, 0, s.exitCode()); // removed (--rm)
            }
            if (ContainerState.STOPPED.equals(now.status())) {
                if (now.detached() && Files.isDirectory(runtime.store().dir(now.id()))) {
                    reap(now.id()); // its monitor was killed, or its exit command has not run yet
                    continue;
                }
                return now;
            }
            Thread.sleep(10);
        }
    }

    /** rm: a stopped container's directory, name, and anything of it the runtime still has. */
    public void remove(ContainerState s, boolean force) throws InterruptedException {
        if (!ContainerState.STOPPED.equals(s.status())) {
            if (!force) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                        "container " + s.name() + " is running: stop it first, or use 'mini rm -f'");
            }
            if (pid1Alive(s)) {
                signal(s, Signals.SIGKILL);
            }
            // the foreground mini that owns it cleans up after its container dies, and a monitor writes its
            // exit file and removes its socket: let the owner finish before its directory goes
            for (int i = 0; i < 100 && Containers.alive(s.ownerPid(), s.ownerStart()) && containers.find(s.id()).isPresent(); i++) {
                Thread.sleep(50);
            }
        }
        try (AutoCloseable l = lock(Path.of(s.bundle()))) {
            if (Files.isDirectory(runtime.store().dir(s.id()))) {
                runtime.delete(s.id(), true);
            }
            try {
                new Networking(miniRoot, runRoot).detach(s.id());
            } catch (RuntimeException e) {
                System.err.println("mini: " + e.getMessage());
            }
            try {
                Cgroups.remove(s.id()); // a run killed before its runtime state was written leaves only its cgroup
            } catch (CgroupException e) {
                System.err.println("mini: " + e.getMessage());
            }
            containers.remove(s);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
