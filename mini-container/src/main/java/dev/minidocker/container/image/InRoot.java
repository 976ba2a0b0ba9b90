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
 *
 * <p>The runtime uses the same walk to find files in a container's root before it runs:
 * /etc/passwd for {@code --user}, the masked and read-only paths.
 */
public final class InRoot {
    private static final int MAX_SYMLINKS = 40; // as the kernel's path walk allows

    private final Path root;
    /** Relative paths known to be real directories (not links), so each is looked at once. */
    private final NavigableSet<String> realDirs = new TreeSet<>();
    /** The last parent resolved, by the name it was asked for (forgotten when anything is removed). */
    private String lastParentName;
    private Path lastParent;
    private String lastParentKey;

    public InRoot(Path root) {
        this.root = root;
        realDirs.add("");
    }

    public Path root() {
        return root;
    }

    /**
     * Where {@code name} (an absolute path as the container sees it) is under {@code root}, with
     * links on the way resolved inside the root and missing parent directories created: for the
     * runtime's mount destinations, so a link in an image cannot point a mount at the host. A
     * last component that is itself a symbolic link is refused.
     */
    public static Path securePath(Path root, String name) {
        List<String> parts = clean(name);
        if (parts.isEmpty()) {
            return root;
        }
        try {
            InRoot r = new InRoot(root);
            Path parent = r.parentOf(parts, true);
            Path p = parent.resolve(parts.get(parts.size() - 1));
            if (Files.isSymbolicLink(p)) {
                throw new ImageException(name + " is a symbolic link in the container's root: refused as a mount point");
            }
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot resolve " + name + " in " + root + ": " + e.getMessage(), e);
        }
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
        // Entries come in directory order: most share the previous entry's parent.
        String name = String.join("/", parts.subList(0, parts.size() - 1));
        if (name.equals(lastParentName) && lastParent != null) {
            return lastParent;
        }
        List<String> parent = resolve(parts.subList(0, parts.size() - 1), create);
        if (parent == null) {
            return null;
        }
        lastParentName = name;
        lastParentKey = String.join("/", parent);
        lastParent = root.resolve(lastParentKey);
        return lastParent;
    }

    /** The key (path relative to the root) of {@code name} in the parent {@link #parentOf} returned last. */
    String keyInLastParent(String name) {
        return lastParentKey.isEmpty() ? name : lastParentKey + "/" + name;
    }

    /** The key by which {@code parts}' parent was resolved, joined with the last name. */
    String keyOf(Path resolved) {
        return root.relativize(resolved).toString();
    }

    // tag::resolve[]
    /** Resolves a directory path inside the root; returns its real components (no links in them). */
    List<String> resolve(List<String> parts, boolean create) throws IOException {
        Walk walk = new Walk(parts);
        while (!walk.todo.isEmpty()) {
            if (!step(walk, create)) {
                return null;
            }
        }
        return walk.done;
    }

    /** A path walk in progress: the components still to look at, and those resolved so far. */
    private static final class Walk {
        List<String> todo;
        final List<String> done = new ArrayList<>();
        String key = "";      // done joined with '/', kept up to date as components are added
        int links;

        void add(String part) {
            done.add(part);
            key = key.isEmpty() ? part : key + "/" + part;
        }

        void pop() {
            done.remove(done.size() - 1);
            key = String.join("/", done);
        }

        Walk(List<String> parts) {
            todo = new ArrayList<>(parts);
        }
    }

    /** Takes one component of the walk; false when it is missing and may not be created. */
    private boolean step(Walk walk, boolean create) throws IOException {
        String part = walk.todo.remove(0);
        // exercise:begin ch06-images-resolve-in-root "'..' pops a component but never above the root; a symlink restarts the walk at the root (absolute target) or in its own directory (relative)"
        if (part.isEmpty() || part.equals(".")) {
            return true;
        }
        if (part.equals("..")) {
            if (!walk.done.isEmpty()) {
                walk.pop(); // at the root, '..' stays at the root
            }
            return true;
        }
        walk.add(part);
        String key = walk.key;
        if (realDirs.contains(key)) {
            return true;
        }
        Path here = root.resolve(key);
        BasicFileAttributes attrs = lstat(here);
        if (attrs == null) {
            if (!create) {
                return false;
            }
            Files.createDirectory(here);
            realDirs.add(key);
        } else if (attrs.isDirectory()) {
            realDirs.add(key);
        } else if (attrs.isSymbolicLink()) {
            if (++walk.links > MAX_SYMLINKS) {
                throw new ImageException("too many levels of symbolic links at '" + key + "'");
            }
            String target = Files.readSymbolicLink(here).toString();
            walk.pop();
            if (target.startsWith("/")) {
                walk.done.clear(); // an absolute link means the root of the image, not of the host
                walk.key = "";
            }
            List<String> rest = new ArrayList<>(List.of(target.split("/")));
            rest.addAll(walk.todo);
            walk.todo = rest;
        } else {
            throw new ImageException("'" + key + "' is not a directory, but an entry needs it as one");
        }
        return true;
        // exercise:end ch06-images-resolve-in-root
    }
    // end::resolve[]

    /**
     * Resolves an existing file inside the root, following every symbolic link (the last one
     * too) inside the root. Returns null when there is no such file.
     */
    public Path existingFile(String name) throws IOException {
        Path p = existing(name);
        return p == null || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? null : p;
    }

    /**
     * Like {@link #existingFile} but a directory is found too: the real path (no symbolic links
     * in it) below the root, or null when nothing is there. The root itself is "/".
     */
    public Path existing(String name) throws IOException {
        List<String> parts = clean(name);
        for (int links = 0; links <= MAX_SYMLINKS; links++) {
            if (parts.isEmpty()) {
                return root;
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
            if (a == null) {
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
        lastParentName = null;
        lastParent = null;
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
