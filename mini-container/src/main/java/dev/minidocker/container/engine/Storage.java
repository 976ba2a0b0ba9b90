package dev.minidocker.container.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.minidocker.container.cgroup.ByteSize;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * {@code -v}, {@code --mount}, {@code --tmpfs} and {@code --read-only} of {@code mini run} as OCI
 * mounts: a bind mount of a host path or of a named volume's directory, a tmpfs, and a read-only
 * root. The runtime makes them inside the container's mount namespace, after the root and before
 * pivot_root, so they are the container's alone.
 */
public final class Storage {
    private final List<ContainerSpec.Mount> mounts = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private boolean readOnlyRoot;

    /** -v SOURCE:DEST[:ro|rw]: SOURCE is an absolute host path, or a volume's name. */
    public Storage volume(String flag) {
        String[] p = flag.split(":");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || !p[1].startsWith("/")) {
            throw new IllegalArgumentException("invalid -v \"" + flag + "\": use /host/path:/in/container[:ro] or NAME:/path[:ro]");
        }
        boolean ro = false;
        if (p.length == 3) {
            if (!p[2].equals("ro") && !p[2].equals("rw")) {
                throw new IllegalArgumentException("invalid -v \"" + flag + "\": the mode is ro or rw, got " + p[2]);
            }
            ro = p[2].equals("ro");
        }
        return add(p[0].startsWith("/") ? "bind" : "volume", p[0], p[1], ro, null);
    }

    /** --mount type=bind|volume|tmpfs,source=...,target=...[,readonly][,tmpfs-size=N]. */
    public Storage mount(String flag) {
        String type = "volume";
        String source = null;
        String target = null;
        boolean ro = false;
        String size = null;
        for (String kv : flag.split(",")) {
            String[] e = kv.split("=", 2);
            String k = e[0].trim().toLowerCase(Locale.ROOT);
            String v = e.length > 1 ? e[1] : null;
            switch (k) {
                case "type" -> type = v;
                case "source", "src" -> source = v;
                case "target", "destination", "dst" -> target = v;
                case "readonly", "ro" -> ro = v == null || v.equals("true") || v.equals("1");
                case "tmpfs-size" -> size = v;
                default -> throw new IllegalArgumentException("invalid --mount \"" + flag + "\": unknown field " + k);
            }
        }
        if (target == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("invalid --mount \"" + flag + "\": give target=/absolute/path");
        }
        if (!List.of("bind", "volume", "tmpfs").contains(type)) {
            throw new IllegalArgumentException("invalid --mount \"" + flag + "\": type is bind, volume or tmpfs");
        }
        if (!type.equals("tmpfs") && (source == null || source.isEmpty())) {
            throw new IllegalArgumentException("invalid --mount \"" + flag + "\": type=" + type + " needs source=");
        }
        return add(type, source, target, ro, size);
    }

    /** --tmpfs /path[:size=64m]. */
    public Storage tmpfs(String flag) {
        int colon = flag.indexOf(':');
        String target = colon < 0 ? flag : flag.substring(0, colon);
        String size = null;
        if (colon >= 0) {
            for (String o : flag.substring(colon + 1).split(",")) {
                if (o.startsWith("size=")) {
                    size = o.substring(5);
                } else {
                    throw new IllegalArgumentException("invalid --tmpfs \"" + flag + "\": mini knows size=SIZE");
                }
            }
        }
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("invalid --tmpfs \"" + flag + "\": the path must be absolute");
        }
        return add("tmpfs", null, target, false, size);
    }

    /** Where --init's reaper appears inside, as docker puts its docker-init (tini). */
    public static final String INIT_PATH = "/sbin/docker-init";

    /**
     * --init: a host's static reaper (tini) bind-mounted read-only at {@link #INIT_PATH}; the
     * command then runs as its child. It forwards signals to the command and reaps orphans,
     * which a PID 1 that is a shell or a server seldom does.
     */
    public Storage init(Path reaper) {
        if (!Files.isExecutable(reaper)) {
            throw new IllegalArgumentException("--init needs " + reaper + ": apt-get install tini");
        }
        mounts.add(new ContainerSpec.Mount(INIT_PATH, "bind", reaper.toString(), List.of("rbind", "rprivate", "ro")));
        return this;
    }

    public Storage readOnlyRoot(boolean ro) {
        this.readOnlyRoot = ro;
        return this;
    }

    // tag::mounts[]
    private Storage add(String type, String source, String target, boolean ro, String size) {
        String mode = ro ? "ro" : "rw";
        switch (type) {
            case "bind" -> {
                if (!source.startsWith("/")) {
                    throw new IllegalArgumentException("bind mount source must be an absolute path, got " + source);
                }
                if (!Files.exists(Path.of(source))) {
                    throw new IllegalArgumentException("bind mount source path does not exist: " + source
                            + " (create it first, or use a named volume: -v NAME:" + target + ")");
                }
                mounts.add(new ContainerSpec.Mount(target, "bind", source, List.of("rbind", "rprivate", mode)));
            }
            case "volume" -> {
                volumes.add(source);
                mounts.add(new ContainerSpec.Mount(target, "bind", source, List.of("rbind", "rprivate", mode)));
            }
            default -> {
                List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "mode=1777", mode));
                if (size != null) {
                    opts.add("size=" + ByteSize.parse(size));
                }
                mounts.add(new ContainerSpec.Mount(target, "tmpfs", "tmpfs", opts));
            }
        }
        return this;
    }

    /** The spec with these mounts after its own (named volumes made on first use) and, with --read-only, a read-only root. */
    public ContainerSpec apply(ContainerSpec spec, Volumes store) {
        List<ContainerSpec.Mount> all = new ArrayList<>(spec.mounts());
        int v = 0;
        for (ContainerSpec.Mount m : mounts) {
            boolean isVolume = "bind".equals(m.type()) && !m.source().startsWith("/");
            all.add(isVolume ? new ContainerSpec.Mount(m.destination(), m.type(), store.create(volumes.get(v++)).toString(), m.options()) : m);
        }
        ContainerSpec withMounts = spec.withMounts(all);
        return readOnlyRoot ? withMounts.withRoot(new ContainerSpec.Root(spec.root().path(), true)) : withMounts;
    }
    // end::mounts[]

    /** Runs the network's step, then adds these mounts: the engine's steps around create, one after the other. */
    public NetworkSetup around(NetworkSetup network, Volumes store) {
        return NetworkSetup.then(network, (id, name, bundle, spec) -> apply(spec, store));
    }
}
