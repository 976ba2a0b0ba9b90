package dev.minidocker.vmm.boot;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Writes an initramfs: a gzip-compressed cpio archive in the "newc" format, which the kernel
 * unpacks into its first root file system (rootfs) before it runs {@code /init}.
 *
 * <p>The kernel creates each entry in archive order and does not create missing parents, so
 * this writer adds every parent directory before its first child. Several such archives may be
 * concatenated into one initrd file: the kernel unpacks them one after another, later entries
 * overwriting earlier ones ({@code mini vm boot --exec} and the lab add a small archive to a
 * cached one that way). One writer for both: mini-lab uses this class.
 */
public final class InitramfsWriter implements Closeable {
    private final CpioArchiveOutputStream cpio;
    private final Set<String> directories = new HashSet<>();
    private long nextInode = 1;

    public InitramfsWriter(OutputStream out) throws IOException {
        // gzip, because every Debian kernel can unpack it (CONFIG_RD_GZIP)
        this.cpio = new CpioArchiveOutputStream(new GZIPOutputStream(out, 1 << 16), CpioConstants.FORMAT_NEW);
    }

    /** A directory; {@code path} is relative to the new root, like {@code "lib/modules"}. */
    public void directory(String path, int permissions) throws IOException {
        String name = normalize(path);
        if (name.isEmpty() || directories.contains(name)) {
            return;
        }
        parents(name);
        directories.add(name);
        CpioArchiveEntry entry = entry(name, CpioConstants.C_ISDIR | permissions, 0);
        cpio.putArchiveEntry(entry);
        cpio.closeArchiveEntry();
    }

    /** A regular file with the given bytes. */
    public void file(String path, int permissions, byte[] content) throws IOException {
        String name = normalize(path);
        parents(name);
        cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | permissions, content.length));
        cpio.write(content);
        cpio.closeArchiveEntry();
    }

    /** A regular file with the given text, in UTF-8. */
    public void file(String path, int permissions, String text) throws IOException {
        file(path, permissions, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file copied from the host, streamed (busybox and modules are megabytes). */
    public void file(String path, int permissions, Path source) throws IOException {
        String name = normalize(path);
        parents(name);
        cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | permissions, Files.size(source)));
        try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(cpio);
        }
        cpio.closeArchiveEntry();
    }

    /** A symbolic link: in cpio its target is stored as the entry's data. */
    public void symlink(String path, String target) throws IOException {
        String name = normalize(path);
        parents(name);
        byte[] data = target.getBytes(StandardCharsets.UTF_8);
        cpio.putArchiveEntry(entry(name, CpioConstants.C_ISLNK | 0777, data.length));
        cpio.write(data);
        cpio.closeArchiveEntry();
    }

    /** A character device node, such as {@code dev/console} (5, 1) that init's first output goes to. */
    public void characterDevice(String path, int permissions, int major, int minor) throws IOException {
        String name = normalize(path);
        parents(name);
        CpioArchiveEntry entry = entry(name, CpioConstants.C_ISCHR | permissions, 0);
        entry.setRemoteDeviceMaj(major);
        entry.setRemoteDeviceMin(minor);
        cpio.putArchiveEntry(entry);
        cpio.closeArchiveEntry();
    }

    // tag::node[]
    /**
     * Any node with its whole st_mode (file type and permission bits, setuid and sticky included),
     * its owner and, for device nodes, its numbers: for trees copied from elsewhere, such as an
     * image's root. A regular file's content is streamed from {@code source}; a symbolic link's
     * target is {@code linkTarget}; other types carry no data.
     */
    public void node(String path, int mode, long uid, long gid, Path source, String linkTarget, int major, int minor)
            throws IOException {
        String name = normalize(path);
        int type = mode & CpioConstants.S_IFMT;
        if (name.isEmpty() || (type == CpioConstants.C_ISDIR && !directories.add(name))) {
            return;   // the root itself, or a directory already written
        }
        parents(name);
        byte[] link = type == CpioConstants.C_ISLNK ? linkTarget.getBytes(StandardCharsets.UTF_8) : null;
        long size = type == CpioConstants.C_ISREG ? Files.size(source) : link != null ? link.length : 0;
        CpioArchiveEntry entry = entry(name, mode, size);
        entry.setUID(uid);
        entry.setGID(gid);
        entry.setRemoteDeviceMaj(major);
        entry.setRemoteDeviceMin(minor);
        cpio.putArchiveEntry(entry);
        if (type == CpioConstants.C_ISREG) {
            try (InputStream in = Files.newInputStream(source)) {
                in.transferTo(cpio);
            }
        } else if (link != null) {
            cpio.write(link);
        }
        cpio.closeArchiveEntry();
    }
    // end::node[]

    /** Writes the TRAILER!!! entry and finishes the gzip stream. */
    @Override
    public void close() throws IOException {
        cpio.close();
    }

    private void parents(String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            directory(name.substring(0, slash), 0755);
        }
    }

    private CpioArchiveEntry entry(String name, int mode, long size) {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name);
        entry.setMode(mode);
        entry.setSize(size);
        // one link and a distinct inode each: the kernel treats entries that share an inode
        // and have nlink > 1 as hard links of each other
        entry.setInode(nextInode++);
        entry.setNumberOfLinks(1);
        entry.setUID(0);
        entry.setGID(0);
        entry.setTime(0);
        return entry;
    }

    private static String normalize(String path) {
        String name = path;
        while (name.startsWith("/") || name.startsWith("./")) {
            name = name.startsWith("/") ? name.substring(1) : name.substring(2);
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.contains("//") || name.equals("..") || name.startsWith("../") || name.contains("/../")) {
            throw new IllegalArgumentException("bad initramfs path: " + path);
        }
        return name;
    }
}
