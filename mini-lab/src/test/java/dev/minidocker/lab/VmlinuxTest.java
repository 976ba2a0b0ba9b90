package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmlinuxTest {
    @TempDir
    Path dir;

    @Test
    void aGzipKernelWithAPvhNoteIsUnpackedToItsElf() throws IOException {
        byte[] vmlinux = elfWithNote("Xen", 18);
        Path image = Files.write(dir.resolve("vmlinuz"), bzImage(3, 0x20f, gzip(vmlinux)));
        Path target = dir.resolve("vmlinux");
        assertTrue(Vmlinux.extract(image, target));
        assertArrayEquals(vmlinux, Files.readAllBytes(target));
    }

    @Test
    void whatIsNoBootableBzImageIsLeftAsItIs() throws IOException {
        Path old = Files.write(dir.resolve("old"), bzImage(3, 0x207, gzip(elfWithNote("Xen", 18))));
        assertFalse(Vmlinux.extract(old, dir.resolve("vmlinux")));
        Path elf = Files.write(dir.resolve("elf"), elfWithNote("Xen", 18));
        assertFalse(Vmlinux.extract(elf, dir.resolve("vmlinux")));
        assertFalse(Files.exists(dir.resolve("vmlinux")));
    }

    @Test
    void aKernelWithoutThePvhEntryIsLeftCompressed() throws IOException {
        Path image = Files.write(dir.resolve("vmlinuz"), bzImage(3, 0x20f, gzip(elfWithNote("Xen", 5))));
        assertFalse(Vmlinux.extract(image, dir.resolve("vmlinux")));
        assertFalse(Files.exists(dir.resolve("vmlinux")));
        Path gnu = Files.write(dir.resolve("vmlinuz2"), bzImage(3, 0x20f, gzip(elfWithNote("GNU", 18))));
        assertFalse(Vmlinux.extract(gnu, dir.resolve("vmlinux")));
    }

    /** A 64-bit bzImage: boot sector and setup sectors with the setup header, then the payload. */
    private static byte[] bzImage(int setupSects, int version, byte[] payload) {
        int payloadOffset = 0x40; // inside the protected-mode part, as real kernels have it
        int start = (setupSects + 1) * 512 + payloadOffset;
        ByteBuffer b = ByteBuffer.allocate(start + payload.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) setupSects);
        b.putShort(0x1fe, (short) 0xaa55);
        b.put(0x201, (byte) 0x66);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) version);
        b.putShort(0x236, (short) 0x1);  // XLF_KERNEL_64
        b.putInt(0x248, payloadOffset);
        b.putInt(0x24c, payload.length);
        b.put(start, payload);
        return b.array();
    }

    /** An ELF64 with one PT_NOTE segment holding one note of the given owner and type. */
    private static byte[] elfWithNote(String owner, int type) {
        byte[] name = (owner + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int nameSize = (name.length + 3) & ~3;
        int noteSize = 12 + nameSize + 8;
        int noteOffset = 64 + 56;
        ByteBuffer b = ByteBuffer.allocate(noteOffset + noteSize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(0x10, (short) 2);
        b.putLong(0x20, 64);
        b.putShort(0x36, (short) 56);
        b.putShort(0x38, (short) 1);
        b.putInt(64, 4);                 // PT_NOTE
        b.putLong(64 + 8, noteOffset);   // p_offset
        b.putLong(64 + 32, noteSize);    // p_filesz
        b.putInt(noteOffset, name.length);
        b.putInt(noteOffset + 4, 8);
        b.putInt(noteOffset + 8, type);
        b.put(noteOffset + 12, name);
        b.putLong(noteOffset + 12 + nameSize, 0x1000850L);
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
