package dev.minidocker.lab;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds the smallest ELF64 relocatable object with a .modinfo section, like a kernel module's. */
final class TestElf {
    private TestElf() {
    }

    static byte[] module(Map<String, String> modinfo) {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        modinfo.forEach((k, v) -> {
            info.writeBytes((k + "=" + v).getBytes(StandardCharsets.UTF_8));
            info.write(0);
        });
        byte[] infoBytes = info.toByteArray();
        byte[] names = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int infoOffset = 64;
        int namesOffset = infoOffset + infoBytes.length;
        int shoff = (namesOffset + names.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(shoff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(0x10, (short) 1);        // ET_REL
        b.putShort(0x12, (short) 0x3e);     // EM_X86_64
        b.putInt(0x14, 1);
        b.putLong(0x28, shoff);
        b.putShort(0x34, (short) 64);
        b.putShort(0x3a, (short) 64);
        b.putShort(0x3c, (short) 3);
        b.putShort(0x3e, (short) 2);        // .shstrtab is section 2
        b.put(infoOffset, infoBytes);
        b.put(namesOffset, names);
        section(b, shoff + 64, 1, 1, infoOffset, infoBytes.length);   // .modinfo, SHT_PROGBITS
        section(b, shoff + 128, 10, 3, namesOffset, names.length);    // .shstrtab, SHT_STRTAB
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int name, int type, long offset, long size) {
        b.putInt(at, name);
        b.putInt(at + 4, type);
        b.putLong(at + 24, offset);
        b.putLong(at + 32, size);
        b.putLong(at + 48, 1);
    }
}
