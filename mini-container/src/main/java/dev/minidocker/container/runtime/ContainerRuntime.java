package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.minidocker.container.ns.Namespace;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;

/**
 * Creates containers: a bundle directory with config.json and state.json, the pipes, and the
 * init stage spawned inside new namespaces. See {@link Container} for start, wait and kill.
 */
public final class ContainerRuntime {
    private final Containers containers;

    public ContainerRuntime(Containers containers) {
        this.containers = containers;
    }

    public Containers containers() {
        return containers;
    }

    // tag::create[]
    /** Spawns the init stage and writes the container's config: create = spawn + configure. */
    public Container create(ContainerConfig config, Stdio stdio) {
        Container container = spawn(config.name(), config.namespaces(), config.autoRemove(), stdio);
        try {
            configure(container, config);
        } catch (RuntimeException e) {
            abandon(container);
            throw e;
        }
        return container;
    }

    /**
     * Starts the init stage in new namespaces before anything else is decided: its JVM starts
     * while the caller resolves the image and makes the cgroup. It reads config.json only
     * after the start signal, so {@link #configure} must come before {@link Container#start()}.
     */
    public Container spawn(String requestedName, List<Namespace> namespaces, boolean autoRemove, Stdio stdio) {
        String id = Containers.newId();
        String name = requestedName != null ? requestedName : "mini_" + id.substring(0, 12);
        containers.claimName(name, id);
        Path bundle = containers.bundle(id);
        ContainerState state = new ContainerState(id, name, ContainerState.CREATED, 0, bundle.toString(),
                Instant.now().toString(), null, null, null, Native.libc().getpid(), autoRemove);
        try {
            Files.createDirectories(bundle);
            containers.save(state);
            int[] startPipe = InitProcess.cloexecPipe();   // runtime writes, init reads (fd 3)
            int[] errorPipe = InitProcess.cloexecPipe();   // init writes (fd 4), runtime reads
            InitProcess init = InitProcess.spawn(id, namespaces, bundle.resolve("config.json"), stdio,
                    startPipe[0], errorPipe[1]);
            Container container = new Container(state, init, startPipe[1], errorPipe[0]);
            try {
                container.pid();                           // wait until spawned (or failed)
            } finally {
                Syscalls.close(startPipe[0]);              // the child has its own copies now
                Syscalls.close(errorPipe[1]);
            }
            return container;
        } catch (IOException e) {
            containers.remove(state);
            throw new UncheckedIOException("cannot create the container's directory " + bundle + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            containers.remove(state);
            throw e;
        }
    }

    /** Writes config.json (what the init stage will build) and records the container as running. */
    public void configure(Container container, ContainerConfig config) {
        ContainerState s = container.state();
        Path bundle = Path.of(s.bundle());
        ContainerSpec spec = new ContainerSpec(s.id(), s.name(), config.process(), rootSpec(config, bundle),
                config.hostname() != null ? config.hostname() : s.id().substring(0, 12),
                config.namespaces(), config.isolation());
        SpecFile.write(bundle.resolve("config.json"), spec);
        ContainerState running = new ContainerState(s.id(), s.name(), ContainerState.RUNNING, container.pid(), s.bundle(),
                s.created(), config.image(), String.join(" ", config.process().args()), null, s.ownerPid(), s.autoRemove());
        containers.save(running);
        container.state(running);
    }

    /** Gives up on a container that was spawned but will not start: its init stage exits, its files go. */
    public void abandon(Container container) {
        container.abandon();
        container.await();
        containers.remove(container.state());
    }
    // end::create[]

    /** Records how the container ended, or removes it entirely for {@code --rm}. */
    public void finish(Container container, int exitCode) {
        ContainerState s = container.state();
        if (s.autoRemove()) {
            containers.remove(s);
        } else {
            containers.save(s.withStatus(ContainerState.STOPPED, 0, exitCode));
        }
    }

    private static ContainerSpec.RootSpec rootSpec(ContainerConfig config, Path bundle) {
        try {
            Files.createDirectories(bundle);
            if (config.rootDirectory() != null) {
                return new ContainerSpec.RootSpec(config.rootDirectory().toAbsolutePath().toString(), List.of(), null, null);
            }
            Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
            Path upper = Files.createDirectories(bundle.resolve("upper"));
            Path work = Files.createDirectories(bundle.resolve("work"));
            return new ContainerSpec.RootSpec(rootfs.toString(),
                    config.layers().stream().map(p -> p.toAbsolutePath().toString()).toList(),
                    upper.toString(), work.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the container's directory " + bundle + ": " + e.getMessage(), e);
        }
    }
}
