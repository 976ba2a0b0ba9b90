package dev.minidocker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.engine.ContainerNetwork;
import dev.minidocker.container.engine.NetworkSetup;
import dev.minidocker.container.engine.Storage;
import dev.minidocker.container.engine.Volumes;
import dev.minidocker.container.net.NetworkMode;
import dev.minidocker.container.net.PortMapping;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.SpecFile;

/**
 * What {@code mini start} needs again of a detached run's flags, kept as run.json in its
 * directory: its network and published ports (its namespace went with its old PID 1) and the
 * log's bound.
 */
record RunFlags(String network, List<String> publish, Long logSizeMax, List<String> volumes, List<String> mounts,
                List<String> tmpfs, boolean readOnly, boolean init, String restart, String userns) {
    /** The static tini that --init mounts ($MINI_INIT overrides). */
    static Path initBinary() {
        return Path.of(System.getenv().getOrDefault("MINI_INIT", "/usr/bin/tini-static"));
    }

    static void save(ContainerState s, RunFlags f) {
        Path dir = Path.of(s.bundle());
        try {
            SpecFile.write(dir.resolve("run.json"), f);
        } catch (RuntimeException e) {
            if (Files.isDirectory(dir)) {
                throw e;
            } // a --rm container that has already ended and gone
        }
    }

    static RunFlags of(ContainerState s) {
        Path f = Path.of(s.bundle()).resolve("run.json");
        return Files.isRegularFile(f) ? SpecFile.read(f, RunFlags.class) : new RunFlags("none", List.of(), null, List.of(), List.of(), List.of(), false, false, "no", null);
    }

    /** The engine's steps before create: the network's, then the mounts'. */
    NetworkSetup setup() {
        return withUserNamespace(storage().around(networkSetup(), new Volumes(Cli.root())), userns);
    }

    /** --userns private or auto: the user namespace's step after the others (a restart makes it again). */
    static NetworkSetup withUserNamespace(NetworkSetup steps, String userns) {
        return "private".equals(userns) || "auto".equals(userns)
                ? dev.minidocker.container.engine.UserNamespaceSetup.around(steps, dev.minidocker.container.ns.SubordinateIds.forHost())
                : steps;
    }

    Storage storage() {
        Storage s = new Storage().readOnlyRoot(readOnly);
        (volumes == null ? List.<String>of() : volumes).forEach(s::volume);
        (mounts == null ? List.<String>of() : mounts).forEach(s::mount);
        (tmpfs == null ? List.<String>of() : tmpfs).forEach(s::tmpfs);
        return init ? s.init(initBinary()) : s;
    }

    ContainerNetwork networkSetup() {
        List<PortMapping> ports = new ArrayList<>();
        for (String p : publish == null ? List.<String>of() : publish) {
            ports.addAll(PortMapping.parse(p));
        }
        return new ContainerNetwork(NetworkMode.parse(network), ports, Cli.root(), Cli.runRoot());
    }
}
