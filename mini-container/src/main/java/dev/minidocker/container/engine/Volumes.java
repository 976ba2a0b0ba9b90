package dev.minidocker.container.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ExitStatus;

/**
 * Named volumes: a directory per volume under {@code ROOT/volumes/NAME/_data} (docker's layout),
 * bind-mounted into each container that names it. It outlives every container, which is the
 * point: what a container writes there is there for the next one, while what it writes anywhere
 * else goes to its own upper layer and goes away with {@code rm}.
 */
public final class Volumes {
    private static final String NAME_RULE = "[a-zA-Z0-9][a-zA-Z0-9_.-]*";
    private final Path dir;

    public Volumes(Path miniRoot) {
        this.dir = miniRoot.resolve("volumes");
    }

    public static boolean isName(String s) {
        return s.matches(NAME_RULE);
    }

    /** The volume's data directory, made on first use. */
    public Path create(String name) {
        if (!isName(name)) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "invalid volume name \"" + name
                    + "\": use letters, digits and _ . - (starting with a letter or digit)");
        }
        Path data = dir.resolve(name).resolve("_data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name + ": " + e.getMessage(), e);
        }
        return data;
    }

    public boolean exists(String name) {
        return isName(name) && Files.isDirectory(dir.resolve(name).resolve("_data"));
    }

    public Path mountpoint(String name) {
        return dir.resolve(name).resolve("_data");
    }

    public List<String> list() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> Files.isDirectory(p.resolve("_data"))).forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        names.sort(null);
        return names;
    }

    public void remove(String name) {
        if (!exists(name)) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "no such volume: " + name);
        }
        try {
            FileTrees.delete(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove volume " + name + ": " + e.getMessage(), e);
        }
    }
}
