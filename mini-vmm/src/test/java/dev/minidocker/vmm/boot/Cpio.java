package dev.minidocker.vmm.boot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;

/**
 * Reads an initrd the way the kernel does: gzip members one after another, each a newc cpio
 * archive ending in TRAILER!!!, zero padding between them; later entries replace earlier ones.
 * Shared with mini-lab's tests (mini-vmm's test jar).
 */
public final class Cpio {
    public record Entry(String name, long mode, byte[] data, long deviceMajor, long deviceMinor, long uid, long gid) {
        public boolean isDirectory() {
            return (mode & 0170000) == 0040000;
        }
    }

    private Cpio() {
    }

    /** Every entry of every archive in order (a name may repeat). */
    public static List<Entry> entries(byte[] initrd) throws IOException {
        List<Entry> entries = new ArrayList<>();
        // Java's GZIPInputStream reads concatenated members as one stream, like the kernel
        PushbackInputStream in = new PushbackInputStream(new GZIPInputStream(new ByteArrayInputStream(initrd)), 1);
        while (skipZeros(in)) {
            CpioArchiveInputStream cpio = new CpioArchiveInputStream(new NonClosing(in));
            CpioArchiveEntry e;
            while ((e = cpio.getNextEntry()) != null) {
                entries.add(new Entry(e.getName(), e.getMode(), cpio.readAllBytes(), e.getRemoteDeviceMaj(),
                        e.getRemoteDeviceMin(), e.getUID(), e.getGID()));
            }
        }
        return entries;
    }

    /** The file system the kernel ends up with: name to its last entry. */
    public static Map<String, Entry> tree(byte[] initrd) throws IOException {
        Map<String, Entry> tree = new LinkedHashMap<>();
        for (Entry e : entries(initrd)) {
            tree.put(e.name(), e);
        }
        return tree;
    }

    private static boolean skipZeros(PushbackInputStream in) throws IOException {
        int b;
        while ((b = in.read()) == 0) {
            // padding after a trailer
        }
        if (b < 0) {
            return false;
        }
        in.unread(b);
        return true;
    }

    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
