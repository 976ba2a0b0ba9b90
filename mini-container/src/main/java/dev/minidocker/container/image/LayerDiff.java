package dev.minidocker.container.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarConstants;

import dev.minidocker.sys.Syscalls;

/**
 * A layer made from a container's overlay upper directory: everything the container changed,
 * as a tar. overlayfs records a deletion as a character device 0/0 and a directory whose lower
 * contents are hidden with the {@code trusted.overlay.opaque} attribute; a layer tar says the same
 * with the OCI whiteout files {@code .wh.NAME} and {@code DIR/.wh..wh..opq}. The tar is
 * reproducible: entries in sorted order, with owners, modes and times as the files have them.
 */
public final class LayerDiff {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    /** What went into the tar: entries written and files that could not be (sockets, devices). */
    public record Result(long entries, List<String> skipped) {
    }

    private final LayerBuilder tar;
    private final Set<String> leaveOut;
    /** The first name each multiply-linked inode was written under: later names become hard links. */
    private final Map<Long, String> inodes = new HashMap<>();
    private final List<String> skipped = new ArrayList<>();
    private long entries;

    private LayerDiff(LayerBuilder tar, Set<String> leaveOut) {
        this.tar = tar;
        this.leaveOut = leaveOut;
    }

    /**
     * Writes the layer of {@code upper} to {@code out}. Names in {@code leaveOut} (as {@code dev},
     * {@code etc/hosts}) are not part of the image: mount points the runtime made.
     */
    public static Result write(Path upper, OutputStream out, Set<String> leaveOut) throws IOException {
        try (LayerBuilder b = new LayerBuilder(out, FileTime.fromMillis(0))) {
            LayerDiff d = new LayerDiff(b, leaveOut);
            d.children(upper, "");
            return new Result(d.entries, List.copyOf(d.skipped));
        }
    }

    private void children(Path dir, String prefix) throws IOException {
        List<Path> sorted = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(sorted::add);
        }
        sorted.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path p : sorted) {
            String name = prefix + p.getFileName();
            if (!leaveOut.contains(name)) {
                entry(p, name);
            }
        }
    }

    // tag::whiteout[]
    /** One file of the upper directory as tar entries: overlay's deletion markers become OCI whiteouts. */
    private void entry(Path p, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,nlink,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        int type = mode & S_IFMT;
        if (type == S_IFCHR && (Long) a.get("rdev") == 0) {
            // overlayfs deleted NAME here: the layer carries an empty .wh.NAME beside where it was
            tar.entry(whiteoutName(name), TarConstants.LF_NORMAL, 0, 0, 0, mtime, null, null);
            entries++;
            return;
        }
        if (type == S_IFDIR) {
            tar.entry(name, TarConstants.LF_DIR, mode & 07777, uid, gid, mtime, null, null);
            entries++;
            if (isOpaque(p)) {
                // the directory replaced one below it: nothing of the lower one shows through
                tar.entry(name + "/" + Whiteout.OPAQUE, TarConstants.LF_NORMAL, 0, 0, 0, mtime, null, null);
                entries++;
            }
            children(p, name + "/");
            return;
        }
        // end::whiteout[]
        if (type == S_IFLNK) {
            tar.entry(name, TarConstants.LF_SYMLINK, mode & 07777, uid, gid, mtime, Files.readSymbolicLink(p).toString(), null);
        } else if (type == S_IFREG) {
            long ino = (Long) a.get("ino");
            String first = (Integer) a.get("nlink") > 1 ? inodes.putIfAbsent(ino, name) : null;
            if (first != null) {
                tar.entry(name, TarConstants.LF_LINK, mode & 07777, uid, gid, mtime, first, null);
            } else {
                tar.entry(name, TarConstants.LF_NORMAL, mode & 07777, uid, gid, mtime, null, p);
            }
        } else {
            skipped.add(name); // a device, socket or fifo made by a build step: not image content here
            return;
        }
        entries++;
    }

    /** The OCI whiteout entry that deletes {@code name} ({@code etc/motd} → {@code etc/.wh.motd}). */
    static String whiteoutName(String name) {
        // exercise:begin ch15-whiteout "the marker lies in the same directory as the deleted name: its parent's path, then Whiteout.PREFIX, then the name's last part"
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + Whiteout.PREFIX + name.substring(slash + 1);
        // exercise:end ch15-whiteout
    }

    static boolean isOpaque(Path dir) {
        for (String attr : new String[] {Whiteout.OVERLAY_OPAQUE_XATTR, Whiteout.OVERLAY_USER_OPAQUE_XATTR}) {
            try {
                byte[] v = Syscalls.lgetxattr(dir.toString(), attr);
                if (v != null && v.length == 1 && v[0] == 'y') {
                    return true;
                }
            } catch (dev.minidocker.sys.SyscallException unsupported) {
                // a file system without that attribute namespace: not an overlay upper directory
            }
        }
        return false;
    }
}
