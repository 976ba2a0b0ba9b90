package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Just enough of the ELF format to tell a static executable from a dynamic one: a dynamic
 * executable names its loader (ld.so) in a {@code PT_INTERP} program header; a static one has none.
 */
final class Elf {
    private static final int PT_INTERP = 3;

    private Elf() {
    }

    /** True for a 64-bit little-endian ELF executable without a program interpreter. */
    static boolean isStatic(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(h, 0) < 64) {
                return false;
            }
            if (h.getInt(0) != 0x464c457f || h.get(4) != 2 || h.get(5) != 1) { // "\177ELF", ELFCLASS64, ELFDATA2LSB
                return false;
            }
            long phoff = h.getLong(0x20);
            int phentsize = Short.toUnsignedInt(h.getShort(0x36));
            int phnum = Short.toUnsignedInt(h.getShort(0x38));
            ByteBuffer ph = ByteBuffer.allocate(phentsize).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < phnum; i++) {
                ph.clear();
                ch.read(ph, phoff + (long) i * phentsize);
                if (ph.getInt(0) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
