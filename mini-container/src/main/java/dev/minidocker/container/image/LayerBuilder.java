package dev.minidocker.container.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer tar: directories, files, symbolic links, all owned by root with one fixed
 * modification time, so that the same inputs always give the same bytes (and the same digest).
 */
final class LayerBuilder implements AutoCloseable {
    private final TarArchiveOutputStream tar;
    private final FileTime mtime;
    private final Set<String> dirs = new HashSet<>();

    LayerBuilder(OutputStream out, FileTime mtime) {
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        this.tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        this.tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        this.mtime = mtime;
    }

    /** A directory (and its missing parents, mode 0755). */
    void dir(String name, int mode) throws IOException {
        parents(name);
        if (dirs.add(name)) {
            TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
            e.setMode(mode);
            put(e, null);
        }
    }

    void file(String name, int mode, byte[] content) throws IOException {
        parents(name);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(mode);
        e.setSize(content.length);
        put(e, content);
    }

    void file(String name, int mode, Path from) throws IOException {
        parents(name);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(mode);
        e.setSize(Files.size(from));
        tar.putArchiveEntry(stamp(e));
        Files.copy(from, tar);
        tar.closeArchiveEntry();
    }

    void symlink(String name, String target) throws IOException {
        parents(name);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0777);
        put(e, null);
    }

    /**
     * An entry as it is on disk, owner, mode and modification time kept (a layer made from a
     * directory: a build step's overlay upper directory). {@code type} is a TarConstants link flag;
     * for {@code LF_LINK} and {@code LF_SYMLINK}, {@code link} is the target, for {@code LF_NORMAL}
     * {@code from} is the file whose bytes follow.
     */
    void entry(String name, byte type, int mode, int uid, int gid, FileTime modified, String link, Path from)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(type == TarConstants.LF_DIR ? name + "/" : name, type);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setLastModifiedTime(modified);
        if (link != null) {
            e.setLinkName(link);
        }
        if (type == TarConstants.LF_DIR) {
            dirs.add(name);
        }
        if (from != null) {
            e.setSize(Files.size(from));
        }
        tar.putArchiveEntry(e);
        if (from != null) {
            Files.copy(from, tar);
        }
        tar.closeArchiveEntry();
    }

    private void parents(String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            String parent = name.substring(0, slash);
            if (!dirs.contains(parent)) {
                dir(parent, 0755);
            }
        }
    }

    private TarArchiveEntry stamp(TarArchiveEntry e) {
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
        e.setLastModifiedTime(mtime);
        return e;
    }

    private void put(TarArchiveEntry e, byte[] content) throws IOException {
        tar.putArchiveEntry(stamp(e));
        if (content != null) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
