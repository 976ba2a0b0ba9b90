package dev.minidocker.ch06;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The chapter's two layers, written as tar files the way an image builder would: a base layer,
 * and a layer on top that deletes one file (a whiteout), empties a directory (an opaque marker)
 * and adds files. Plus a hostile layer that tries to write outside its directory.
 */
final class Layers {
    private static final FileTime MTIME = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));

    private Layers() {
    }

    // tag::layers[]
    /** The base layer: an os-release, two data files, a cache with two entries. */
    static byte[] base() {
        return new Tar().dir("etc").file("etc/os-release", "NAME=ch06\n")
                .dir("data").file("data/a", "a from the base layer\n").file("data/b", "b from the base layer\n")
                .dir("cache").file("cache/x", "x\n").file("cache/y", "y\n").bytes();
    }

    /** The layer on top: deletes data/b, hides everything the base had in cache/, adds two files. */
    static byte[] top() {
        return new Tar().dir("data").file("data/.wh.b", "")       // whiteout: "b is deleted"
                .file("data/c", "c from the top layer\n")
                .dir("cache").file("cache/.wh..wh..opq", "")           // opaque: "nothing below shows through"
                .file("cache/z", "z\n").bytes();
    }
    // end::layers[]

    /** A layer that plants a symbolic link to the host's /etc and then writes through it. */
    static byte[] hostile(String victimDir) {
        return new Tar().symlink("escape", victimDir).file("escape/planted", "written through a link\n").bytes();
    }

    /** A layer whose link climbs with '..' far above its directory, then writes through it. */
    static byte[] climbing() {
        return new Tar().dir("a").symlink("a/up", "../../../../../../..").file("a/up/tmp/planted", "climbed\n").bytes();
    }

    /** Entry names of a tar, as {@code tar -t} lists them. */
    static List<String> list(byte[] tar) {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** A small tar writer for the demo. */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());

        Tar dir(String name) {
            TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
            e.setMode(0755);
            return put(e, null);
        }

        Tar file(String name, String content) {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
            e.setMode(0644);
            e.setSize(b.length);
            return put(e, b);
        }

        Tar symlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(target);
            return put(e, null);
        }

        private Tar put(TarArchiveEntry e, byte[] content) {
            try {
                e.setModTime(MTIME);
                tar.putArchiveEntry(e);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            return this;
        }

        byte[] bytes() {
            try {
                tar.close();
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            return bytes.toByteArray();
        }
    }
}
