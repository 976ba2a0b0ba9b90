package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Resolves names from a tar file inside a root directory the way {@code chroot} would: {@code ..}
 * stops at the root, and a symbolic link met on the way is followed <em>relative to the root</em>,
 * never to the host. Whatever a hostile archive contains, the resulting path is below the root.
 *
 * <p>The last component is never followed: an entry named {@code a/b} replaces a symbolic link
 * {@code a/b}, it does not write through it.
 */
final class InRoot {
    private static final int MAX_SYMLINKS = 40; // as the kernel's path walk allows

    private final Path root;
    /** Relative paths known to be real directories (not links), so each is looked at once. */
    private final NavigableSet<String> realDirs = new TreeSet<>();

    InRoot(Path root) {
        this.root = root;
        realDirs.add("");
    }

    Path root() {
        return root;
    }

    /**
     * Splits an entry name into clean components. A leading {@code /} or {@code ./} is dropped
     * (tar files often carry them); a {@code ..} that would climb above the root is refused.
     */
    // tag::clean[]
    static List<String> clean(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new ImageException("entry '" + name + "' climbs out of the layer with '..': refused");
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return parts;
    }
    // end::clean[]

    /**
     * Resolves all components but the last inside the root, following symbolic links there, and
     * returns the real parent directory. Missing parents are created when {@code create} is set
     * (with mode 0755, as docker does); otherwise null is returned for a missing parent.
     */
    Path parentOf(List<String> parts, boolean create) throws IOException {
        List<String> parent = resolve(parts.subList(0, parts.size() - 1), create);
        return parent == null ? null : root.resolve(String.join("/", parent));
    }

    /** The key by which {@code parts}' parent was resolved, joined with the last name. */
    String keyOf(Path resolved) {
        return root.relativize(resolved).toString();
    }

    // tag::resolve[]
    /** Resolves a directory path inside the root; returns its real components (no links in them). */
    List<String> resolve(List<String> parts, boolean create) throws IOException {
        List<String> todo = new ArrayList<>(parts);
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.remove(0);
            // exercise:begin ch06-images-resolve-in-root "'..' pops a component but never above the root; a symlink restarts the walk at the root (absolute target) or at the current directory (relative)"
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1); // at the root, '..' stays at the root
                }
                continue;
            }
            done.add(part);
            String key = String.join("/", done);
            if (realDirs.contains(key)) {
                continue;
            }
            Path here = root.resolve(key);
            BasicFileAttributes attrs = lstat(here);
            if (attrs == null) {
                if (!create) {
                    return null;
                }
                Files.createDirectory(here);
                realDirs.add(key);
            } else if (attrs.isDirectory()) {
                realDirs.add(key);
            } else if (attrs.isSymbolicLink()) {
                if (++links > MAX_SYMLINKS) {
                    throw new ImageException("too many levels of symbolic links at '" + key + "'");
                }
                String target = Files.readSymbolicLink(here).toString();
                done.remove(done.size() - 1);
                if (target.startsWith("/")) {
                    done.clear(); // an absolute link means the root of the image, not of the host
                }
                List<String> rest = new ArrayList<>(List.of(target.split("/")));
                rest.addAll(todo);
                todo = rest;
            } else {
                throw new ImageException("'" + key + "' is not a directory, but an entry needs it as one");
            }
            // exercise:end ch06-images-resolve-in-root
        }
        return done;
    }
    // end::resolve[]

    /**
     * Resolves an existing file inside the root, following every symbolic link (the last one
     * too) inside the root. Returns null when there is no such file.
     */
    Path existingFile(String name) throws IOException {
        List<String> parts = clean(name);
        for (int links = 0; links <= MAX_SYMLINKS; links++) {
            if (parts.isEmpty()) {
                return null;
            }
            List<String> dir = resolve(parts.subList(0, parts.size() - 1), false);
            if (dir == null) {
                return null;
            }
            String last = parts.get(parts.size() - 1);
            List<String> full = new ArrayList<>(dir);
            full.add(last);
            Path p = root.resolve(String.join("/", full));
            BasicFileAttributes a = lstat(p);
            if (a == null || a.isDirectory()) {
                return null;
            }
            if (!a.isSymbolicLink()) {
                return p;
            }
            String target = Files.readSymbolicLink(p).toString();
            List<String> next = new ArrayList<>(target.startsWith("/") ? List.of() : dir);
            next.addAll(List.of(target.split("/")));
            parts = cleanClamped(next);
        }
        throw new ImageException("too many levels of symbolic links at '" + name + "'");
    }

    /** Like {@link #clean} for link targets: '..' at the root stays at the root, as in chroot. */
    private static List<String> cleanClamped(List<String> in) {
        List<String> out = new ArrayList<>();
        for (String part : in) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(part);
            }
        }
        return out;
    }

    /** Forget what was known about {@code key} and everything below it (it was removed or replaced). */
    void forget(String key) {
        realDirs.remove(key);
        realDirs.subSet(key + "/", true, key + "0", false).clear(); // '0' sorts right after '/'
    }

    void rememberDir(String key) {
        realDirs.add(key);
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
