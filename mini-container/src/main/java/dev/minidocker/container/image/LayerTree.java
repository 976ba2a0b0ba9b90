package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The files of stacked layers as an overlay mount would show them, read without mounting: the
 * topmost layer that has a path wins; a 0/0 character device (a whiteout) deletes the path below
 * it; an opaque directory hides every lower directory of its name. For builds: {@code COPY --from}
 * a stage, the owner of a directory a COPY writes into, and the user names in /etc/passwd.
 */
public final class LayerTree {
    private final List<Path> topFirst;

    /** {@code layers} lowest first, as an image lists them. */
    public LayerTree(List<Path> layers) {
        List<Path> l = new ArrayList<>(layers);
        java.util.Collections.reverse(l);
        this.topFirst = List.copyOf(l);
    }

    /** The file that {@code path} (relative, '/'-separated, "" for the root) is in the merged view. */
    public Optional<Path> find(String path) {
        String[] parts = path.isEmpty() ? new String[0] : path.split("/");
        for (Path layer : topFirst) {
            Path p = layer;
            boolean hidesBelow = false;
            boolean stop = false;
            for (int i = 0; i < parts.length; i++) {
                p = p.resolve(parts[i]);
                if (isWhiteout(p)) {
                    return Optional.empty();
                }
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    stop = true; // this layer says nothing about the path: look lower, unless hidden
                    break;
                }
                if (i < parts.length - 1 && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty(); // a file where a directory would be: the path does not exist
                }
                if (i < parts.length - 1 && LayerDiff.isOpaque(p)) {
                    hidesBelow = true;
                }
            }
            if (!stop) {
                return Optional.of(p);
            }
            if (hidesBelow) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The names in directory {@code path} of the merged view, sorted. */
    public List<String> list(String path) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (Path layer : topFirst) {
            Path d = path.isEmpty() ? layer : layer.resolve(path);
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                    break; // a file or a whiteout hides the directories below
                }
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            }
            if (LayerDiff.isOpaque(d)) {
                break;
            }
        }
        names.removeIf(n -> find(path.isEmpty() ? n : path + "/" + n).isEmpty());
        return List.copyOf(names);
    }

    /** Copies the merged view's {@code path} to {@code target} (which must not exist), owners, modes and times kept. */
    public void copy(String path, Path target) throws IOException {
        Path source = find(path).orElseThrow(() -> new java.nio.file.NoSuchFileException("/" + path));
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(target);
            for (String child : list(path)) {
                copy(path.isEmpty() ? child : path + "/" + child, target.resolve(child));
            }
            FileCopy.attributes(source, target, null, null);
        } else {
            FileCopy.copy(source, target, null, null);
        }
    }

    static boolean isWhiteout(Path p) {
        try {
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                    && ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000) == 0020000
                    && (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
