package dev.minidocker.container.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.minidocker.container.image.Flattener;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.ProcStat;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;

/**
 * A container of {@code mini run} in the foreground, as the engine sees it: a name and a bundle
 * under the store, then the runtime's create, start, wait and delete in this one process (which
 * is the container's parent, as {@code runc run} is). {@code mini run}, OneShot, the chapters and
 * the tests all come through here.
 */
public final class ForegroundRun {
    private final Containers containers;
    private final ContainerRuntime runtime;
    private ContainerState state;
    private final Container container;
    private final NetworkSetup network;

    private ForegroundRun(Containers containers, ContainerRuntime runtime, ContainerState state, Container container,
                          NetworkSetup network) {
        this.containers = containers;
        this.runtime = runtime;
        this.state = state;
        this.container = container;
        this.network = network;
    }

    /** The runtime's root for containers of this store (its state lives beside the bundles). */
    public static Path runtimeRoot(Path miniRoot) {
        return miniRoot.resolve("runtime");
    }

    // tag::create[]
    /** Claims the name, writes the bundle's config.json and creates the container: its init stage waits for start. */
    public static ForegroundRun create(Path miniRoot, RunRequest r, Stdio stdio) {
        return create(miniRoot, r, stdio, NetworkSetup.NONE);
    }

    /** The same, with the engine's network step: prepared before create, released after delete. */
    public static ForegroundRun create(Path miniRoot, RunRequest r, Stdio stdio, NetworkSetup network) {
        return create(miniRoot, r, stdio, network, null);
    }

    /** The same; with a terminal (r.terminal()) its master goes to consoleSocket: the relay of {@code mini run -t}. */
    public static ForegroundRun create(Path miniRoot, RunRequest r, Stdio stdio, NetworkSetup network, String consoleSocket) {
        Prepared p = prepare(miniRoot, r, network, Native.libc().getpid(), false);
        ContainerRuntime runtime = new ContainerRuntime(runtimeRoot(miniRoot));
        try {
            ContainerRuntime.CreateOptions o = ContainerRuntime.CreateOptions.foreground(stdio);
            if (consoleSocket != null) {
                o = new ContainerRuntime.CreateOptions(o.pidFile(), consoleSocket, o.noPivot(), o.preserveFds(), true, stdio);
            }
            Container c = runtime.create(p.state().id(), p.bundle(), o);
            network.created(p.state().id(), c.pid());
            ContainerState created = p.state().withStatus(ContainerState.CREATED, c.pid(), null);
            p.containers().save(created);
            return new ForegroundRun(p.containers(), runtime, created, c, network);
        } catch (RuntimeException e) {
            p.abandon(network, e);
            throw e;
        }
    }
    // end::create[]

    /** A container claimed and its bundle written, not yet created by the runtime. */
    record Prepared(Containers containers, ContainerState state, Path bundle) {
        /** Undoes what prepare did (and the network's step) after a failed create. */
        void abandon(NetworkSetup network, RuntimeException cause) {
            try {
                network.release(state.id());
            } catch (RuntimeException suppressed) {
                cause.addSuppressed(suppressed);
            }
            containers.remove(state);
        }
    }

    /**
     * Claims the name, records the container and writes its bundle: the root's directories and
     * config.json (the spec before the network's step is kept as spec.json, for a later start).
     */
    static Prepared prepare(Path miniRoot, RunRequest r, NetworkSetup network, int ownerPid, boolean detached) {
        Containers containers = new Containers(miniRoot);
        ContainerRuntime runtime = new ContainerRuntime(runtimeRoot(miniRoot));
        for (String abandoned : containers.pruneAbandoned()) {
            // a mini killed with -9 left the runtime's state (and cgroup) of its --rm container too
            if (Files.isDirectory(runtime.store().dir(abandoned))) {
                runtime.delete(abandoned, true);
            }
        }
        String id = Containers.newId();
        String name = r.name() != null ? r.name() : "mini_" + id.substring(0, 12);
        containers.claimName(name, id);
        Path bundle = containers.bundle(id);
        ContainerState s = new ContainerState(id, name, ContainerState.CREATED, 0, bundle.toString(), Instant.now().toString(),
                r.image(), String.join(" ", r.args()), null, ownerPid, r.autoRemove())
                .withOwner(ownerPid, ownerStart(ownerPid), detached);
        try {
            Files.createDirectories(bundle);
            containers.save(s);
            if (r.rootDirectory() == null) {
                for (String d : new String[] {"rootfs", "upper", "work"}) {
                    Files.createDirectories(bundle.resolve(d));
                }
            }
            if (r.flatten() != null) {
                // no overlayfs: the container gets its own flattened copy of the layers
                Flattener.flatten(r.flatten().store(), r.flatten().image(), bundle.resolve("rootfs"),
                        warning -> System.err.println("mini: " + warning));
                r = new RunRequest(r.name(), r.image(), List.of(), bundle.resolve("rootfs"), r.args(), r.env(), r.cwd(),
                        r.hostname(), r.namespaces(), r.isolation(), r.limits(), r.cgroupDriver(), r.autoRemove(), null, r.security(),
                        r.terminal());
            }
            ContainerSpec base = SpecBuilder.build(r, id, bundle);
            SpecFile.write(bundle.resolve("spec.json"), base);
            SpecFile.write(bundle.resolve("config.json"), network.prepare(id, name, bundle, base));
            return new Prepared(containers, s, bundle);
        } catch (IOException e) {
            network.release(id);
            containers.remove(s);
            throw new UncheckedIOException("cannot create the container's directory " + bundle + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            new Prepared(containers, s, bundle).abandon(network, e);
            throw e;
        }
    }

    static long ownerStart(int pid) {
        ProcStat st = ProcStat.of(pid);
        return st == null ? 0 : st.startTime();
    }

    public ContainerState state() {
        return state;
    }

    public Container container() {
        return container;
    }

    /** The cgroup the runtime made, as named in the container's config.json. */
    public String cgroupsPath() {
        return runtime.state(state.id()).cgroupsPath();
    }

    /** start, then wait for the init stage's execve: afterwards the user's command is PID 1. */
    public void start() {
        state = state.withStatus(ContainerState.RUNNING, container.pid(), null).withTimes(Instant.now().toString(), null);
        containers.save(state);
        runtime.start(state.id());
        container.awaitExec();
    }

    /** Waits for the command to end; its exit code. */
    public int await() {
        return container.await();
    }

    /** delete: the runtime's state and cgroup go; the engine keeps a record of the end, or nothing with --rm. */
    public void finish(int exitCode) {
        try {
            runtime.delete(state.id(), true);
        } finally {
            try {
                network.release(state.id()); // veth, lease, firewall rules: nothing of it outlives the container
            } catch (RuntimeException e) {
                System.err.println("mini: " + e.getMessage());
            }
            if (state.autoRemove()) {
                containers.remove(state);
            } else {
                containers.save(state.withStatus(ContainerState.STOPPED, 0, exitCode).withTimes(state.started(), Instant.now().toString()));
            }
        }
    }
}
