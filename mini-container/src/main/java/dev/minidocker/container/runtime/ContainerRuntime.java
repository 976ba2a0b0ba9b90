package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

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
    public Container create(ContainerConfig config, Stdio stdio) {
        String id = Containers.newId();
        String name = config.name() != null ? config.name() : "mini_" + id.substring(0, 12);
        containers.claimName(name, id);
        Path bundle = containers.bundle(id);
        try {
            ContainerSpec spec = new ContainerSpec(id, name, config.process(), rootSpec(config, bundle),
                    config.hostname() != null ? config.hostname() : id.substring(0, 12),
                    config.namespaces(), config.isolation());
            Path configFile = bundle.resolve("config.json");
            SpecFile.write(configFile, spec);
            ContainerState state = new ContainerState(id, name, ContainerState.CREATED, 0, bundle.toString(),
                    Instant.now().toString(), config.image(), String.join(" ", config.process().args()), null,
                    Native.libc().getpid(), config.autoRemove());
            containers.save(state);

            int[] startPipe = InitProcess.cloexecPipe();   // runtime writes, init reads (fd 3)
            int[] errorPipe = InitProcess.cloexecPipe();   // init writes (fd 4), runtime reads
            InitProcess init = InitProcess.spawn(spec, configFile, stdio, startPipe[0], errorPipe[1]);
            Container container = new Container(state, init, startPipe[1], errorPipe[0]);
            try {
                int pid = container.pid();                 // wait until spawned (or failed)
                containers.save(state.withStatus(ContainerState.RUNNING, pid, null));
            } finally {
                Syscalls.close(startPipe[0]);              // the child has its own copies now
                Syscalls.close(errorPipe[1]);
            }
            return container;
        } catch (RuntimeException e) {
            containers.remove(new ContainerState(id, name, ContainerState.STOPPED, 0, bundle.toString(), "", null,
                    null, null, 0, true));
            throw e;
        }
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
