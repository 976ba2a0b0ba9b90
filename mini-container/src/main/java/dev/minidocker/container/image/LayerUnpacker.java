package dev.minidocker.container.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * Unpacks one layer (a tar stream) into a directory, following the OCI image spec's layer
 * semantics, and never writing outside that directory whatever the archive contains.
 *
 * <p>Whiteouts are handled in one of two ways:
 * <ul>
 * <li>{@link Whiteouts#OVERLAY}: the layer gets its own directory, and deletions are recorded the
 * way overlayfs reads them (a {@code 0/0} character device for a deleted name, the
 * {@code trusted.overlay.opaque} attribute for an opaque directory). The store keeps layers so.
 * <li>{@link Whiteouts#APPLY}: the layer is applied on top of the layers already in the directory,
 * and deletions delete. This flattens an image into one tree.
 * </ul>
 */
public final class LayerUnpacker {
    public enum Whiteouts { APPLY, OVERLAY }

    /** What was unpacked: entries read, bytes of regular files written, and warnings (skipped entries). */
    public record Result(long entries, long fileBytes, List<String> warnings) {
    }

    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private final InRoot root;
    private final Whiteouts whiteouts;
    private final UnpackLimits limits;
    private final Consumer<String> warn;
    private final List<String> warnings = new ArrayList<>();
    private final boolean asRoot;
    private final int euid;
    private final int egid;
    /** Paths this layer wrote (and their parents): whiteouts and opaque markers only hide lower layers. */
    private final Set<String> written = new HashSet<>();
    /** Directory permissions and times are set last, once nothing more is written inside them. */
    private final TreeMap<String, TarArchiveEntry> dirMeta = new TreeMap<>();
    private final byte[] buffer = new byte[1 << 17];
    private final Set<String> skipFiles;
    /** The mode open(2) gives a new file (0666 less the umask): no chmod needed for those. */
    private final int createdMode;
    private long entries;
    private long bytes;
    private long checkedFreeAt;
    private final Path dir;
    /** How often (in bytes written) the free space is looked at again: statvfs is cheap, not free. */
    private static final long FREE_SPACE_EVERY = 16L << 20;

    private LayerUnpacker(Path dir, Whiteouts whiteouts, UnpackLimits limits, Consumer<String> warn, Set<String> skipFiles) {
        this.skipFiles = skipFiles;
        this.dir = dir;
        this.root = new InRoot(dir);
        this.whiteouts = whiteouts;
        this.limits = limits;
        this.warn = warn;
        this.euid = Native.posix().geteuid();
        this.egid = Native.posix().getegid();
        this.asRoot = euid == 0;
        this.createdMode = 0666 & ~currentUmask();
    }

    /** Unpacks the tar stream {@code tar} (already decompressed) into {@code dir}, which must exist. */
    public static Result unpack(InputStream tar, Path dir, Whiteouts whiteouts, UnpackLimits limits, Consumer<String> warn) {
        return unpack(tar, dir, whiteouts, limits, warn, Set.of());
    }

    /** As above, leaving out the regular files named in {@code skipFiles} (clean names, as {@code a/b}). */
    static Result unpack(InputStream tar, Path dir, Whiteouts whiteouts, UnpackLimits limits, Consumer<String> warn,
                         Set<String> skipFiles) {
        LayerUnpacker u = new LayerUnpacker(dir, whiteouts, limits, warn == null ? w -> { } : warn, skipFiles);
        return u.run(tar);
    }

    private Result run(InputStream tar) {
        @SuppressWarnings("resource") // closing it would close the caller's stream, which still needs draining
        TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
        TarArchiveEntry e = null;
        try {
            while ((e = in.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new ImageException("layer has more than " + limits.maxEntries()
                            + " entries: refused as a possible tar bomb");
                }
                entry(e, in);
            }
            e = null;
            applyDirMeta();
        } catch (IOException x) {
            throw new ImageException((e == null ? "reading layer" : "unpacking '" + e.getName() + "'") + ": " + Io.describe(x), x);
        } catch (SyscallException x) {
            throw new ImageException("unpacking '" + (e == null ? "" : e.getName()) + "': " + x.getMessage(), x);
        } catch (ImageException x) {
            if (e != null && !x.getMessage().contains(e.getName())) {
                throw new ImageException("unpacking '" + e.getName() + "': " + x.getMessage(), x);
            }
            throw x;
        }
        return new Result(entries, bytes, List.copyOf(warnings));
    }

    /** umask(2) can only be read by setting it: set it back at once. */
    private static synchronized int currentUmask() {
        int mask = Native.posix().umask(022);
        Native.posix().umask(mask);
        return mask;
    }

    // tag::entry[]
    private void entry(TarArchiveEntry e, InputStream data) throws IOException {
        List<String> parts = InRoot.clean(e.getName());
        if (parts.isEmpty()) { // "./": the layer's root directory itself
            if (e.isDirectory()) {
                dirMeta.put("", e);
            }
            return;
        }
        if (!skipFiles.isEmpty() && e.isFile() && skipFiles.contains(String.join("/", parts))) {
            return;
        }
        String base = parts.get(parts.size() - 1);
        if (Whiteout.isMarker(base)) {
            marker(parts, e.getName());
            return;
        }
        Path target = root.parentOf(parts, true).resolve(base);
        String key = root.keyInLastParent(base);
        if (e.isDirectory()) {
            directory(target, key, e);
        } else if (e.isSymbolicLink()) {
            symlink(target, key, e);
        } else if (e.isLink()) {
            hardLink(target, key, e);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            if (!asRoot) {
                skip("device node '" + e.getName() + "' skipped: creating devices needs root");
                return;
            }
            int type = e.isCharacterDevice() ? S_IFCHR : S_IFBLK;
            try {
                node(target, key, type | (e.getMode() & 07777), Syscalls.makedev(e.getDevMajor(), e.getDevMinor()));
            } catch (SyscallException x) {
                if (x.errno() != Errno.EPERM) {
                    throw x;
                }
                skip("device node '" + e.getName() + "' skipped: creating devices needs CAP_MKNOD, which this process lacks");
                return;
            }
            metadata(target, e);
        } else if (e.isFIFO()) {
            node(target, key, S_IFIFO | (e.getMode() & 07777), 0);
            metadata(target, e);
        } else if (e.isFile()) {
            regularFile(target, key, e, data);
        } else {
            skip("entry '" + e.getName() + "' of tar type '" + (char) e.getLinkFlag() + "' skipped: not a file type layers use");
            return;
        }
        markWritten(key);
    }
    // end::entry[]

    private void regularFile(Path target, String key, TarArchiveEntry e, InputStream data) throws IOException {
        if (bytes + e.getSize() > limits.maxBytes()) {
            throw new ImageException("layer expands to more than " + limits.maxBytes()
                    + " bytes: refused as a possible tar bomb");
        }
        try (FileChannel out = createNew(target, key)) {
            for (int n; (n = data.read(buffer)) > 0; ) {
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                bytes += n;
                if (bytes - checkedFreeAt >= FREE_SPACE_EVERY) {
                    checkedFreeAt = bytes;
                    limits.checkFreeSpace(dir, 0, "stopped unpacking after " + Progress.size(bytes));
                }
            }
        }
        metadata(target, e);
    }

    private FileChannel createNew(Path target, String key) throws IOException {
        try {
            return FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException x) {
            removeExisting(target, key);
            return FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private void directory(Path target, String key, TarArchiveEntry e) throws IOException {
        BasicFileAttributes a = InRoot.lstat(target);
        if (a != null && !a.isDirectory()) {
            removeExisting(target, key);
            a = null;
        }
        if (a == null) {
            Files.createDirectory(target);
        }
        root.rememberDir(key);
        owner(target, e);
        dirMeta.put(key, e);
    }

    private void symlink(Path target, String key, TarArchiveEntry e) throws IOException {
        // The link's text is stored as it is: it means a path inside the container, and is only
        // ever followed here through InRoot, which keeps it inside the root.
        Path linkText = Path.of(e.getLinkName());
        try {
            Files.createSymbolicLink(target, linkText);
        } catch (FileAlreadyExistsException x) {
            removeExisting(target, key);
            Files.createSymbolicLink(target, linkText);
        }
        owner(target, e);
        times(target, e);
    }

    // tag::hardlink[]
    private void hardLink(Path target, String key, TarArchiveEntry e) throws IOException {
        List<String> to = InRoot.clean(e.getLinkName());
        if (to.isEmpty()) {
            throw new ImageException("hard link '" + e.getName() + "' points to the layer's root: refused");
        }
        Path parent = root.parentOf(to, false);
        Path existing = parent == null ? null : parent.resolve(to.get(to.size() - 1));
        BasicFileAttributes a = existing == null ? null : InRoot.lstat(existing);
        if (a == null || a.isDirectory()) {
            throw new ImageException("hard link '" + e.getName() + "' points to '" + e.getLinkName()
                    + "', which is not a file in the layer: refused");
        }
        if (existing.equals(target)) {
            return;
        }
        try {
            Files.createLink(target, existing); // link(2) does not follow a symbolic link
        } catch (FileAlreadyExistsException x) {
            removeExisting(target, key);
            Files.createLink(target, existing);
        }
    }
    // end::hardlink[]

    private void node(Path target, String key, int mode, long dev) throws IOException {
        if (InRoot.lstat(target) != null) {
            removeExisting(target, key);
        }
        Syscalls.mknod(target.toString(), mode, dev);
    }

    // tag::marker[]
    private void marker(List<String> parts, String entryName) throws IOException {
        String base = parts.get(parts.size() - 1);
        List<String> dirParts = parts.subList(0, parts.size() - 1);
        if (base.equals(Whiteout.OPAQUE)) {
            List<String> dir = root.resolve(dirParts, true);
            String dirKey = String.join("/", dir);
            opaque(root.root().resolve(dirKey), dirKey);
            markWritten(dirKey);
            return;
        }
        if (base.startsWith(Whiteout.META_PREFIX)) {
            skip("entry '" + entryName + "' skipped: aufs metadata, not content");
            return;
        }
        String name = Whiteout.target(base, entryName);
        List<String> dir = root.resolve(dirParts, whiteouts == Whiteouts.OVERLAY);
        if (dir == null) {
            return; // the directory is not there, so neither is what the whiteout deletes
        }
        String key = dir.isEmpty() ? name : String.join("/", dir) + "/" + name;
        if (written.contains(key)) {
            return; // a whiteout hides lower layers only, never this layer's own entry
        }
        Path victim = root.root().resolve(key);
        // exercise:begin ch06-images-whiteout "APPLY: delete what the lower layers put there (without following a link); OVERLAY: leave a 0/0 character device, overlayfs's whiteout"
        if (InRoot.lstat(victim) != null) {
            removeExisting(victim, key);
        }
        if (whiteouts == Whiteouts.OVERLAY) {
            Syscalls.mknod(victim.toString(), S_IFCHR, Syscalls.makedev(0, 0));
        }
        // exercise:end ch06-images-whiteout
    }
    // end::marker[]

    // tag::opaque[]
    private void opaque(Path dir, String dirKey) throws IOException {
        if (whiteouts == Whiteouts.OVERLAY) {
            setOpaqueAttribute(dir);
            return;
        }
        // Applying: everything below the directory that this layer did not write comes from
        // lower layers and goes; the marker may sit anywhere in the tar, before or after them.
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        }
        for (Path child : children) {
            String key = root.keyOf(child);
            BasicFileAttributes a = InRoot.lstat(child);
            if (!written.contains(key)) {
                removeExisting(child, key);
            } else if (a != null && a.isDirectory()) {
                opaque(child, key);
            }
        }
    }
    // end::opaque[]

    private static void setOpaqueAttribute(Path dir) {
        byte[] y = {'y'};
        try {
            Syscalls.lsetxattr(dir.toString(), Whiteout.OVERLAY_OPAQUE_XATTR, y);
        } catch (SyscallException notRoot) {
            // Without CAP_SYS_ADMIN only the user.* namespace is writable; overlayfs reads it
            // when mounted with "userxattr" (as in a user namespace).
            Syscalls.lsetxattr(dir.toString(), Whiteout.OVERLAY_USER_OPAQUE_XATTR, y);
        }
    }

    /** Removes a file, link or whole directory tree at {@code target}, never following links. */
    private void removeExisting(Path target, String key) throws IOException {
        BasicFileAttributes a = InRoot.lstat(target);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            Io.deleteTree(target);
            root.forget(key);
            dirMeta.remove(key);
            dirMeta.subMap(key + "/", true, key + "0", false).clear();
        } else {
            Files.delete(target);
        }
    }

    private void markWritten(String key) {
        String k = key;
        while (written.add(k)) {
            int slash = k.lastIndexOf('/');
            if (slash < 0) {
                break;
            }
            k = k.substring(0, slash);
        }
    }

    // tag::metadata[]
    private void metadata(Path target, TarArchiveEntry e) throws IOException {
        boolean chowned = owner(target, e);
        // after chown: changing the owner clears the setuid and setgid bits
        int mode = e.getMode() & 07777;
        if (chowned || mode != createdMode) { // most files are 0644, as open(2) made them already
            int rc = Native.posix().chmod(target.toString(), mode);
            if (rc != 0) {
                throw new ImageException("chmod " + target + ": " + Native.posix().strerror(Native.posix().errno()));
            }
        }
        times(target, e);
    }
    // end::metadata[]

    /** lchown(2) when the entry's owner is not who we are; true if it was called. */
    private boolean owner(Path target, TarArchiveEntry e) {
        if (!asRoot) {
            return false; // like tar, a user keeps the files as their own
        }
        int uid = (int) e.getLongUserId();
        int gid = (int) e.getLongGroupId();
        if (uid == euid && gid == egid) {
            return false;
        }
        int rc = Native.posix().lchown(target.toString(), uid, gid);
        if (rc != 0) {
            throw new ImageException("lchown " + target + ": " + Native.posix().strerror(Native.posix().errno()));
        }
        return true;
    }

    /**
     * utimensat(2) with AT_SYMLINK_NOFOLLOW: sets the times of a link itself, and never opens the
     * file (opening a FIFO would block until someone writes to it).
     */
    private static void times(Path target, TarArchiveEntry e) {
        Instant t = e.getLastModifiedTime().toInstant();
        long[] spec = {t.getEpochSecond(), t.getNano()};
        int rc = Native.posix().utimensat(AT_FDCWD, target.toString(), spec, spec, AT_SYMLINK_NOFOLLOW);
        if (rc != 0) {
            throw new ImageException("utimensat " + target + ": " + Native.posix().strerror(Native.posix().errno()));
        }
    }

    private void applyDirMeta() {
        for (Map.Entry<String, TarArchiveEntry> d : dirMeta.entrySet()) {
            Path p = root.root().resolve(d.getKey());
            int rc = Native.posix().chmod(p.toString(), d.getValue().getMode() & 07777);
            if (rc != 0) {
                throw new ImageException("chmod " + p + ": " + Native.posix().strerror(Native.posix().errno()));
            }
            times(p, d.getValue());
        }
    }

    private void skip(String warning) {
        warnings.add(warning);
        warn.accept(warning);
    }
}
