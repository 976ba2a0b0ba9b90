package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Native;

/**
 * The containers on disk: one directory per container under {@code ROOT/containers/ID}, with
 * config.json, state.json, and the overlay's upper, work and rootfs directories. Names are
 * claimed atomically as files under {@code ROOT/names/}.
 */
public final class Containers {
    private final Path dir;
    private final Path names;

    public Containers(Path root) {
        this.dir = root.resolve("containers");
        this.names = root.resolve("names");
    }

    public Path directory() {
        return dir;
    }

    /** A new random 64-hex-digit ID. */
    public static String newId() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Claims a name for the container with this ID; fails if another container has it. */
    public void claimName(String name, String id) {
        try {
            // the name becomes a file name here: "../../x" would be a path of the user's choosing
            dev.minidocker.container.security.ContainerNames.validate(name);
        } catch (IllegalArgumentException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, e.getMessage());
        }
        try {
            Files.createDirectories(names);
            Files.writeString(names.resolve(name), id, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                    "the name \"" + name + "\" is already in use: remove that container (mini rm " + name + ") or choose another --name");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim name " + name + ": " + e.getMessage(), e);
        }
    }

    public Path bundle(String id) {
        return dir.resolve(id);
    }

    public void save(ContainerState state) {
        SpecFile.write(bundle(state.id()).resolve("state.json"), state);
    }

    public List<ContainerState> list() {
        List<ContainerState> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path st = p.resolve("state.json");
                if (Files.isRegularFile(st)) {
                    try {
                        result.add(refresh(SpecFile.read(st, ContainerState.class)));
                    } catch (RuntimeException e) {
                        // a half-written container: shown by nothing, removed by prune
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        result.sort((a, b) -> b.created().compareTo(a.created()));
        return result;
    }

    /**
     * A container recorded as running whose owner (mini in the foreground, the monitor when detached)
     * is gone is reported as stopped; a monitor's exit file says with which status and when.
     */
    private ContainerState refresh(ContainerState s) {
        if ((ContainerState.RUNNING.equals(s.status()) || ContainerState.CREATED.equals(s.status()))
                && !alive(s.ownerPid(), s.ownerStart())) {
            Integer code = s.exitCode();
            String finished = s.finished();
            Path exit = exitFile(s.id());
            if (s.detached() && Files.isRegularFile(exit)) {
                try {
                    code = Integer.parseInt(Files.readString(exit).trim());
                    finished = Files.getLastModifiedTime(exit).toInstant().toString();
                } catch (IOException | NumberFormatException e) {
                    // half written by a monitor that died: the status stays unknown
                }
            }
            return s.withStatus(ContainerState.STOPPED, 0, code).withTimes(s.started(), finished);
        }
        return s;
    }

    /** Where the monitor writes the container's exit status (conmon's --exit-dir holds a file named by the ID). */
    public Path exitFile(String id) {
        return bundle(id).resolve("exits").resolve(id);
    }

    /** Whether pid is a live process (a zombie is not: nobody may ever reap it). */
    public static boolean alive(int pid) {
        return alive(pid, 0);
    }

    /** The same, and still the process that started at startTime (0: not known). */
    public static boolean alive(int pid, long startTime) {
        ProcStat st = ProcStat.of(pid);
        return st != null && st.state() != 'Z' && st.state() != 'X' && (startTime == 0 || st.startTime() == startTime);
    }

    /** Finds a container by name, full ID or unique ID prefix. */
    public Optional<ContainerState> find(String nameOrId) {
        List<ContainerState> all = list();
        for (ContainerState s : all) {
            if (s.name().equals(nameOrId) || s.id().equals(nameOrId)) {
                return Optional.of(s);
            }
        }
        List<ContainerState> byPrefix = all.stream().filter(s -> s.id().startsWith(nameOrId)).toList();
        return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
    }

    /** Deletes the container's directory and releases its name. */
    public void remove(ContainerState s) {
        deleteTree(bundle(s.id()));
        try {
            Path n = names.resolve(s.name());
            if (Files.exists(n) && Files.readString(n).equals(s.id())) {
                Files.delete(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release name " + s.name() + ": " + e.getMessage(), e);
        }
    }

    /** Removes containers left by a mini that died (SIGKILL) when they were meant to be removed; their IDs. */
    public List<String> pruneAbandoned() {
        List<String> ids = new ArrayList<>();
        for (ContainerState s : list()) {
            if (s.autoRemove() && ContainerState.STOPPED.equals(s.status()) && !alive(s.ownerPid())) {
                remove(s);
                ids.add(s.id());
            }
        }
        return ids;
    }

    static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
