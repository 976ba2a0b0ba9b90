package dev.minidocker.vmm.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory map a PC's firmware reports through BIOS call INT 0x15, AX=0xE820: which physical
 * address ranges are usable RAM and which are reserved. Without firmware, the VMM writes it into
 * the zero page itself; Linux believes it and uses nothing else.
 */
public final class E820 {
    public static final int RAM = 1;
    public static final int RESERVED = 2;
    /** Each entry in boot_params: u64 address, u64 size, u32 type. */
    public static final int ENTRY_SIZE = 20;
    /** The zero page has room for this many entries. */
    public static final int MAX_ENTRIES = 128;

    /** Real mode's "640 KiB" ends here: above are the EBDA, the VGA window and the BIOS ROM. */
    public static final long LOW_RAM_END = 0x9fc00;
    public static final long ONE_MIB = 0x100000;

    public record Entry(long address, long size, int type) {
        public long end() {
            return address + size;
        }
    }

    private E820() {
    }

    // tag::e820[]
    /** The map of a guest with memorySize bytes of RAM from address 0 (all below the PCI hole). */
    public static List<Entry> forMemory(long memorySize) {
        // exercise:begin ch11-e820 "RAM below 0x9fc00, reserved from there to 1 MiB (where a PC has its legacy areas), RAM from 1 MiB to memorySize"
        List<Entry> map = new ArrayList<>();
        map.add(new Entry(0, LOW_RAM_END, RAM));
        map.add(new Entry(LOW_RAM_END, ONE_MIB - LOW_RAM_END, RESERVED));
        map.add(new Entry(ONE_MIB, memorySize - ONE_MIB, RAM));
        return map;
        // exercise:end ch11-e820
    }
    // end::e820[]

    /** The table as the kernel reads it, ENTRY_SIZE bytes per entry. */
    public static byte[] encode(List<Entry> map) {
        if (map.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("e820: " + map.size() + " entries, the zero page holds " + MAX_ENTRIES);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(map.size() * ENTRY_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (Entry e : map) {
            b.putLong(e.address()).putLong(e.size()).putInt(e.type());
        }
        return b.array();
    }
}
