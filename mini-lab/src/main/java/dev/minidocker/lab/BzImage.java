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
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A bzImage (the vmlinuz file) holds the real kernel, an ELF file called vmlinux, compressed,
 * behind a small decompressor. Under TCG that decompressor takes seconds, so the lab unpacks
 * vmlinux once and lets qemu start it directly through its PVH entry point (an ELF note that
 * Xen defined and qemu understands), skipping both the real-mode setup and the decompression.
 *
 * <p>Where the payload lies is in the setup header of the Linux boot protocol (2.08+):
 * {@code setup_sects} at 0x1f1, {@code payload_offset} and {@code payload_length} at 0x248 and
 * 0x24c, counted from the protected-mode code after the setup sectors.
 */
public final class BzImage {
    private static final int HDRS_MAGIC = 0x53726448; // "HdrS" at 0x202
    private static final int PT_NOTE = 4;
    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

    private BzImage() {
    }

    /** The compressed vmlinux inside a bzImage, or empty if this is no bzImage of protocol 2.08+. */
    public static Optional<byte[]> payload(byte[] image) {
        if (image.length < 0x250) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int version = Short.toUnsignedInt(b.getShort(0x206));
        if (b.getInt(0x202) != HDRS_MAGIC || version < 0x208) {
            return Optional.empty();
        }
        int setupSects = Byte.toUnsignedInt(image[0x1f1]);
        if (setupSects == 0) {
            setupSects = 4; // the boot protocol's rule for very old images
        }
        long start = (setupSects + 1L) * 512 + Integer.toUnsignedLong(b.getInt(0x248));
        long length = Integer.toUnsignedLong(b.getInt(0x24c));
        if (start + length > image.length) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(image, (int) start, (int) (start + length)));
    }

    /**
     * Writes the uncompressed vmlinux of {@code bzImage} to {@code target} if the kernel can be
     * started through PVH; returns false (and writes nothing) when it cannot.
     */
    public static boolean extractVmlinux(Path bzImage, Path target) throws IOException {
        Optional<byte[]> payload = payload(Files.readAllBytes(bzImage));
        if (payload.isEmpty()) {
            return false;
        }
        Path partial = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                if (!decompress(payload.get(), out)) {
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
