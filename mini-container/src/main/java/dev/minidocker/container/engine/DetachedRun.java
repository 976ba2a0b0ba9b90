package dev.minidocker.container.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.ExitStatus;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;

/**
 * {@code mini run -d} and {@code mini start}: the container is created by its {@link Monitor}
 * (conmon calls the runtime's create and becomes PID 1's parent), then started from here; this
 * process returns while the container runs on. The monitor's exit command ({@link Lifecycle#reap})
 * deletes it from the runtime and releases its network when it ends.
 */
public final class DetachedRun {
    private DetachedRun() {
    }

    /** Claims the name, writes the bundle, starts the monitor and the container; its state, running. */
    public static ContainerState run(Path miniRoot, RunRequest r, NetworkSetup network, Monitor.Programs programs, Long logSizeMax) {
        ForegroundRun.Prepared p = ForegroundRun.prepare(miniRoot, r, network, Native.libc().getpid(), true); // ours until the monitor has it
        try {
            return startMonitored(miniRoot, p.state(), network, programs, logSizeMax, false);
        } catch (RuntimeException e) {
            p.abandon(network, e);
            throw e;
        }
    }

    // tag::start-detached[]
    /**
     * Starts the monitor on the container's bundle (its upper directory, so its files, stay as they
     * were), then the container. With prepareNetwork the spec's network step is done again (a
     * restart: the old namespace went with the old PID 1).
     */
    public static ContainerState startMonitored(Path miniRoot, ContainerState s, NetworkSetup network, Monitor.Programs programs,
                                                Long logSizeMax, boolean prepareNetwork) {
        try (AutoCloseable lock = Lifecycle.lock(Path.of(s.bundle()))) { // the exit command's reap waits for this
            return startLocked(miniRoot, s, network, programs, logSizeMax, prepareNetwork);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static ContainerState startLocked(Path miniRoot, ContainerState s, NetworkSetup network, Monitor.Programs programs,
                                              Long logSizeMax, boolean prepareNetwork) throws java.io.IOException {
        Containers containers = new Containers(miniRoot);
        ContainerRuntime runtime = new ContainerRuntime(ForegroundRun.runtimeRoot(miniRoot));
        Path bundle = Path.of(s.bundle());
        if (Files.isDirectory(runtime.store().dir(s.id()))) {
            runtime.delete(s.id(), true); // what a monitor killed before its exit command left
        }
        if (prepareNetwork) {
            ContainerSpec base = SpecFile.read(bundle.resolve("spec.json"), ContainerSpec.class);
            SpecFile.write(bundle.resolve("config.json"), network.prepare(s.id(), s.name(), bundle, base));
        }
        Files.deleteIfExists(Lifecycle.stoppedByUser(s));
        Monitor.Started m = Monitor.start(programs, s.id(), s.name(), bundle, runtime.store().root(), logSizeMax);
        network.created(s.id(), m.containerPid());
        ContainerState created = s.withStatus(ContainerState.CREATED, m.containerPid(), null)
                .withOwner(m.monitorPid(), ForegroundRun.ownerStart(m.monitorPid()), true);
        containers.save(created);
        try {
            runtime.start(s.id());
        } catch (ContainerException e) {
            runtime.delete(s.id(), true);
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "cannot start container " + s.name() + ": " + e.getMessage());
        }
        ContainerState running = created.withStatus(ContainerState.RUNNING, m.containerPid(), null)
                .withTimes(Instant.now().toString(), null);
        containers.save(running);
        return running;
    }
    // end::start-detached[]
}
