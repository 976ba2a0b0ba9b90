package dev.minidocker.container.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.FileCopy;

/**
 * The directory a build reads its COPY and ADD sources from, less what {@code .dockerignore}
 * leaves out. Sources stay inside it: {@code ../x} and links pointing out are not followed.
 */
final class BuildContext {
    /** One source: its file, and its name relative to the context. */
    record Source(Path path, String name) {
    }

    private final Path root;
    private final DockerIgnore ignore;

    private BuildContext(Path root, DockerIgnore ignore) {
        this.root = root;
        this.ignore = ignore;
    }

    static BuildContext open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        Path f = root.resolve(".dockerignore");
        try {
            return new BuildContext(root, Files.isRegularFile(f) ? DockerIgnore.parse(Files.readString(f)) : DockerIgnore.none());
        } catch (IOException e) {
            throw new BuildException("cannot read " + f + ": " + e.getMessage());
        }
    }

    boolean ignored(String src) {
        return ignore.excludes(clean(src));
    }

    private static String clean(String src) {
        String p = Path.of("/" + src).normalize().toString().substring(1); // "/.." stays "/": nothing escapes
        return p;
    }

    /** The files {@code src} names (a path, or a glob in its last part), not ignored. */
    List<Source> resolve(String src) throws IOException {
        String rel = clean(src);
        List<Source> out = new ArrayList<>();
        if (rel.isEmpty()) {
            out.add(new Source(root, ""));
            return out;
        }
        int slash = rel.lastIndexOf('/');
        String last = rel.substring(slash + 1);
        if (last.matches(".*[*?\\[].*")) {
            Path parent = slash < 0 ? root : root.resolve(rel.substring(0, slash));
            if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
                return out;
            }
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + last);
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(parent)) {
                s.forEach(children::add);
            }
            children.sort(null);
            for (Path c : children) {
                String name = root.relativize(c).toString();
                if (m.matches(c.getFileName()) && !ignore.excludes(name)) {
                    out.add(new Source(c, name));
                }
            }
            return out;
        }
        Path p = root.resolve(rel);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !ignore.excludes(rel)) {
            out.add(new Source(p, rel));
        }
        return out;
    }

    // tag::content-digest[]
    /** The digest of what the sources hold (names, types, modes, contents): the cache's view of them. */
    Digest digest(List<Source> sources, boolean add) throws IOException {
        MessageDigest sha = Digest.newSha256();
        sha.update((add ? "ADD\n" : "COPY\n").getBytes(StandardCharsets.UTF_8));
        for (Source s : sources) {
            hash(sha, s.path(), s.name());
        }
        return Digest.of(sha);
    }

    private void hash(MessageDigest sha, Path p, String name) throws IOException {
        if (!name.isEmpty() && ignore.excludes(name)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        sha.update((name + "\0" + Integer.toOctalString(mode) + "\0").getBytes(StandardCharsets.UTF_8));
        if (Files.isSymbolicLink(p)) {
            sha.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            for (Path c : sortedChildren(p)) {
                hash(sha, c, name.isEmpty() ? c.getFileName().toString() : name + "/" + c.getFileName());
            }
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            sha.update((Files.size(p) + "\0").getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(p)) {
                byte[] b = new byte[1 << 16];
                for (int n; (n = in.read(b)) > 0; ) {
                    sha.update(b, 0, n);
                }
            }
        }
    }
    // end::content-digest[]

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return children;
    }

    /** Copies a source to {@code target}: a directory's contents (not the directory itself), as COPY does. */
    void copy(Source s, Path target, int uid, int gid) throws IOException {
        if (Files.isDirectory(s.path(), LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target);
            for (Path c : sortedChildren(s.path())) {
                String name = s.name().isEmpty() ? c.getFileName().toString() : s.name() + "/" + c.getFileName();
                if (!ignore.excludes(name)) {
                    copyTree(c, name, target.resolve(c.getFileName().toString()), uid, gid);
                }
            }
        } else {
            FileCopy.copy(s.path(), target, uid, gid);
        }
    }

    private void copyTree(Path p, String name, Path target, int uid, int gid) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(target);
            for (Path c : sortedChildren(p)) {
                String n = name + "/" + c.getFileName();
                if (!ignore.excludes(n)) {
                    copyTree(c, n, target.resolve(c.getFileName().toString()), uid, gid);
                }
            }
            FileCopy.attributes(p, target, uid, gid);
        } else {
            FileCopy.copy(p, target, uid, gid);
        }
    }
}
