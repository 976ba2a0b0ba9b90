package dev.minidocker.lab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .modinfo} section of a kernel module: NUL-separated {@code key=value} strings
 * such as {@code name=kvm_amd} and {@code depends=kvm,ccp}, what {@code modinfo(8)} prints.
 * The lab reads {@code depends} itself so that it needs neither depmod nor modules.dep.
 */
public record ModuleInfo(Map<String, String> fields) {
    private static final int SHT_NOBITS = 8;

    /** Parses a module file (an ELF64 little-endian relocatable object, uncompressed). */
    public static ModuleInfo parse(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464c457f) { // "\177ELF"
            throw new LabException("not an ELF file (is the module still compressed?)");
        }
        if (elf[4] != 2 || elf[5] != 1) {
            throw new LabException("not a 64-bit little-endian ELF module");
        }
        long shoff = b.getLong(0x28);          // e_shoff: where the section headers start
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3e)); // section holding section names
        long namesOffset = b.getLong(Math.toIntExact(shoff + (long) shstrndx * shentsize + 24));
        for (int i = 0; i < shnum; i++) {
            int header = Math.toIntExact(shoff + (long) i * shentsize);
            int nameIndex = b.getInt(header);            // sh_name
            int type = b.getInt(header + 4);             // sh_type
            long offset = b.getLong(header + 24);        // sh_offset
            long size = b.getLong(header + 32);          // sh_size
            if (type != SHT_NOBITS && ".modinfo".equals(cString(elf, Math.toIntExact(namesOffset + nameIndex)))) {
                return new ModuleInfo(fields(elf, Math.toIntExact(offset), Math.toIntExact(size)));
            }
        }
        throw new LabException("module has no .modinfo section");
    }

    /** The module's own name, with underscores as the kernel spells it ({@code kvm_amd}). */
    public String name() {
        return fields.getOrDefault("name", "");
    }

    /** The modules that must be loaded first, by name. */
    public List<String> depends() {
        String value = fields.getOrDefault("depends", "");
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                names.add(KernelModules.canonical(name.trim()));
            }
        }
        return names;
    }

    private static Map<String, String> fields(byte[] elf, int offset, int size) {
        Map<String, String> fields = new LinkedHashMap<>();
        int start = offset;
        for (int i = offset; i <= offset + size; i++) {
            if (i == offset + size || elf[i] == 0) {
                if (i > start) {
                    String field = new String(elf, start, i - start, StandardCharsets.UTF_8);
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        fields.putIfAbsent(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
                start = i + 1;
            }
        }
        return fields;
    }

    private static String cString(byte[] bytes, int offset) {
        int end = offset;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
