package dev.minidocker.container.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.net.Attachment;
import dev.minidocker.container.net.Lease;
import dev.minidocker.container.net.NetworkMode;
import dev.minidocker.container.net.Networking;
import dev.minidocker.container.net.PortMapping;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Trace;

/**
 * {@code --network} and {@code -p} of {@code mini run} as changes to config.json: for a network,
 * the path of the namespace {@link Networking#attach} prepared and the bind mounts of its files;
 * for {@code host}, no network namespace at all; for {@code container:NAME}, the other container's
 * namespace (/proc/PID/ns/net of its PID 1); for {@code none}, nothing.
 */
public final class ContainerNetwork implements NetworkSetup {
    private final NetworkMode mode;
    private final List<PortMapping> ports;
    private final Networking networking;
    private final Containers containers;

    public ContainerNetwork(NetworkMode mode, List<PortMapping> ports, Path miniRoot, Path runRoot) {
        if (!ports.isEmpty() && mode.kind() == NetworkMode.Kind.HOST) {
            // docker's behaviour: the container's ports are the host's already
            System.err.println("mini: warning: published ports are discarded when using host network mode");
            ports = List.of();
        }
        if (!ports.isEmpty() && !mode.canPublish()) {
            throw new IllegalArgumentException("published ports (-p) need a network of the container's own, not --network " + mode);
        }
        this.mode = mode;
        this.ports = List.copyOf(ports);
        this.networking = new Networking(miniRoot, runRoot);
        this.containers = new Containers(miniRoot);
    }

    // tag::prepare[]
    @Override
    public ContainerSpec prepare(String id, String name, Path bundle, ContainerSpec spec) {
        networking.reclaim(); // what a killed mini left behind goes first, whatever this container's network
        return switch (mode.kind()) {
            case NONE -> spec;
            case HOST -> withHostFiles(withNetworkNamespace(spec, null, true), bundle);
            case CONTAINER -> joinContainer(spec);
            case NETWORK -> {
                Trace.mark("engine: attaching to network " + mode.name());
                Attachment a = networking.attach(new Networking.Request(id, name, spec.hostname(), mode.name(), ports, bundle));
                Trace.mark("engine: attached (" + a.address() + ")");
                List<ContainerSpec.Mount> mounts = new ArrayList<>(spec.mounts());
                mounts.addAll(a.mounts());
                yield withNetworkNamespace(spec, a.netns().toString(), false).withMounts(mounts);
            }
        };
    }
    // end::prepare[]

    @Override
    public void created(String id, int pid) {
        if (mode.kind() == NetworkMode.Kind.NETWORK) {
            networking.hold(id, pid); // the lease now lives as long as the container's PID 1
        }
    }

    @Override
    public void release(String id) {
        if (mode.kind() == NetworkMode.Kind.NETWORK) {
            Trace.mark("engine: detaching from network " + mode.name());
            networking.detach(id);
            Trace.mark("engine: detached");
        }
    }

    private ContainerSpec joinContainer(ContainerSpec spec) {
        ContainerState other = containers.find(mode.name())
                .orElseThrow(() -> new IllegalArgumentException("no container \"" + mode.name() + "\" for --network container:"
                        + mode.name() + " ('mini ps' lists them)"));
        if (!ContainerState.RUNNING.equals(other.status()) || other.pid() <= 0 || !Containers.alive(other.pid())) {
            throw new IllegalArgumentException("container " + other.name() + " is not running: --network container:NAME joins a running one");
        }
        ContainerSpec joined = withNetworkNamespace(spec, "/proc/" + other.pid() + "/ns/net", false);
        // the same resolv.conf and hosts as the container whose network this is, as docker shares them
        Lease l = networking.lease(other.id()).orElse(null);
        if (l == null) {
            return joined;
        }
        Path dir = Path.of(l.hostsFile()).getParent();
        List<ContainerSpec.Mount> mounts = new ArrayList<>(spec.mounts());
        for (String f : List.of("resolv.conf", "hosts")) {
            mounts.add(new ContainerSpec.Mount("/etc/" + f, "bind", dir.resolve(f).toString(), List.of("rbind", "rprivate")));
        }
        return joined.withMounts(mounts);
    }

    /** With --network host the container sees the host's resolv.conf and hosts (copies, so it cannot change the host's). */
    private static ContainerSpec withHostFiles(ContainerSpec spec, Path bundle) {
        List<ContainerSpec.Mount> mounts = new ArrayList<>(spec.mounts());
        for (String f : List.of("resolv.conf", "hosts")) {
            Path copy = bundle.resolve(f);
            try {
                Path host = Path.of("/etc", f);
                Files.writeString(copy, Files.exists(host) ? Files.readString(host) : "");
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + copy + ": " + e.getMessage(), e);
            }
            mounts.add(new ContainerSpec.Mount("/etc/" + f, "bind", copy.toString(), List.of("rbind", "rprivate")));
        }
        return spec.withMounts(mounts);
    }

    /** Replaces the "network" entry of linux.namespaces: joined by path, or dropped (host). */
    private static ContainerSpec withNetworkNamespace(ContainerSpec spec, String path, boolean drop) {
        List<ContainerSpec.Namespace> namespaces = new ArrayList<>();
        for (ContainerSpec.Namespace n : spec.linux().namespaces()) {
            if (!n.type().equals("network")) {
                namespaces.add(n);
            }
        }
        if (!drop) {
            namespaces.add(new ContainerSpec.Namespace("network", path));
        }
        ContainerSpec.Linux l = spec.linux();
        return spec.withLinux(new ContainerSpec.Linux(namespaces, l.uidMappings(), l.gidMappings(), l.devices(),
                l.cgroupsPath(), l.resources(), l.sysctl(), l.seccomp(), l.rootfsPropagation(), l.maskedPaths(),
                l.readonlyPaths(), l.mountLabel(), l.personality()));
    }
}
