package dev.minidocker.lab;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import dev.minidocker.vmm.boot.BzImage;
import dev.minidocker.vmm.kvm.VmmException;

/**
 * A bzImage (the vmlinuz file) holds the real kernel, an ELF file called vmlinux, compressed,
 * behind a small decompressor. Under TCG that decompressor takes seconds, so the lab unpacks
 * vmlinux once and lets qemu start it directly through its PVH entry point (an ELF note that
 * Xen defined and qemu understands), skipping both the real-mode setup and the decompression.
 * Where the compressed vmlinux lies is in the setup header, read by mini-vmm's {@link BzImage}.
 */
public final class Vmlinux {
    private static final int PT_NOTE = 4;
    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

    private Vmlinux() {
    }

    /**
     * Writes the uncompressed vmlinux of {@code bzImage} to {@code target} if the kernel can be
     * started through PVH; returns false (and writes nothing) when it cannot.
     */
    public static boolean extract(Path bzImage, Path target) throws IOException {
        byte[] payload;
        try {
            payload = BzImage.parse(Files.readAllBytes(bzImage), bzImage.toString()).payload();
        } catch (VmmException e) {
            return false;   // not a bzImage mini-vmm could boot either: qemu gets the file as it is
        }
        Path partial = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                if (!decompress(payload, out)) {
                    return false;
                }
            }
            if (!hasPvhEntry(partial)) {
                return false;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** gzip in Java; xz and zstd (what distributions use) through their tools. */
    private static boolean decompress(byte[] payload, OutputStream out) throws IOException {
        if (startsWith(payload, 0x1f, 0x8b)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
                in.transferTo(out);
            }
            return true;
        }
        List<String> command;
        String pkg;
        if (startsWith(payload, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            command = List.of("xz", "-dc", "--single-stream");
            pkg = "xz-utils";
        } else if (startsWith(payload, 0x28, 0xb5, 0x2f, 0xfd)) {
            command = List.of("zstd", "-dcq");
            pkg = "zstd";
        } else {
            return false; // lzma, bzip2, lz4, lzo: let the kernel's own decompressor do it
        }
        if (Tools.find(command.get(0)).isEmpty()) {
            return false;
        }
        out.write(Tools.filter(command, pkg, payload));
        return true;
    }

    /** Whether the ELF file has the Xen note with a 32-bit entry point (what qemu's PVH boot needs). */
    static boolean hasPvhEntry(Path elf) throws IOException {
        try (FileChannel ch = FileChannel.open(elf)) {
            ByteBuffer header = read(ch, 0, 64);
            if (header.getInt(0) != 0x464c457f || header.get(4) != 2) {
                return false;
            }
            long phoff = header.getLong(0x20);
            int phentsize = Short.toUnsignedInt(header.getShort(0x36));
            int phnum = Short.toUnsignedInt(header.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(ch, phoff + (long) i * phentsize, 56);
                if (ph.getInt(0) == PT_NOTE && hasXenEntryNote(read(ch, ph.getLong(8), (int) ph.getLong(32)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Notes are (namesz, descsz, type, name padded to 4, desc padded to 4) one after another. */
    private static boolean hasXenEntryNote(ByteBuffer notes) {
        int at = 0;
        while (at + 12 <= notes.limit()) {
            int namesz = notes.getInt(at);
            int descsz = notes.getInt(at + 4);
            int type = notes.getInt(at + 8);
            if (namesz < 0 || descsz < 0) {
                return false;
            }
            byte[] name = new byte[Math.min(namesz, 4)];
            notes.get(at + 12, name);
            if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 && Arrays.equals(name, new byte[] {'X', 'e', 'n', 0})) {
                return true;
            }
            at += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3);
        }
        return false;
    }

    private static ByteBuffer read(FileChannel ch, long position, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, position + b.position()) > 0) {
            // keep reading
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean startsWith(byte[] data, int... magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (Byte.toUnsignedInt(data[i]) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
