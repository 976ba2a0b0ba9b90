package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.minidocker.container.fs.FileTrees;

/**
 * The runtime root ({@code --root}, /run/mini-runc by default): a directory per container with
 * its state.json (written atomically), init.json, the exec FIFO, and a lock file. Every
 * command that reads and changes a container holds its lock, so two never interleave.
 */
public final class StateStore {
    /** Container IDs as runc accepts them; anything else could name a path outside the root. */
    private static final String ID_RULE = "[a-zA-Z0-9][a-zA-Z0-9_.+-]*";

    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public static void checkId(String id) {
        if (id == null || !id.matches(ID_RULE) || id.length() > 1024) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                    "invalid container ID \"" + id + "\": use letters, digits and _ . + - (starting with a letter or digit)");
        }
    }

    public Path dir(String id) {
        checkId(id);
        return root.resolve(id);
    }

    /** Makes the container's directory; fails if the ID is taken. */
    public Path claim(String id) {
        Path d = dir(id);
        try {
            Files.createDirectories(root);
            Files.createDirectory(d);
            return d;
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "container with ID " + id + " already exists");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + d + ": " + e.getMessage(), e);
        }
    }

    /** Holds the container's lock until closed (an exclusive flock on its lock file). */
    public AutoCloseable lock(String id) {
        Path lockFile = dir(id).resolve("lock");
        try {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.lock();
            return () -> {
                l.release();
                ch.close();
            };
        } catch (java.nio.file.NoSuchFileException e) {
            throw notFound(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String id) {
        return Files.isRegularFile(dir(id).resolve("state.json"));
    }

    public RuntimeState read(String id) {
        Path f = dir(id).resolve("state.json");
        if (!Files.isRegularFile(f)) {
            throw notFound(id);
        }
        RuntimeState s = SpecFile.read(f, RuntimeState.class);
        if (s == null) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "the state of container " + id + " is empty: delete it with --force");
        }
        return s;
    }

    public void write(RuntimeState s) {
        SpecFile.write(dir(s.id()).resolve("state.json"), s);
    }

    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> Files.isRegularFile(p.resolve("state.json"))).forEach(p -> ids.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        ids.sort(null);
        return ids;
    }

    public void remove(String id) {
        try {
            FileTrees.delete(dir(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir(id) + ": " + e.getMessage(), e);
        }
    }

    static ContainerException notFound(String id) {
        return new ContainerException(ExitStatus.RUNTIME_ERROR, "container \"" + id + "\" does not exist");
    }
}
