package dev.minidocker.vmm.cpu;

import dev.minidocker.vmm.kvm.Segment;
import dev.minidocker.vmm.memory.GuestMemory;

/**
 * The global descriptor table mini-vmm writes into guest memory: flat code and data segments.
 * KVM_SET_SREGS loads the segment registers' hidden parts directly, but the table must still be
 * in memory and agree with them: an interrupt or a far jump reloads CS from it.
 */
public final class Gdt {
    public static final int NULL_SELECTOR = 0x00;
    public static final int CODE32_SELECTOR = 0x08;
    public static final int DATA_SELECTOR = 0x10;
    public static final int CODE64_SELECTOR = 0x18;

    // access byte: P(7) DPL(6:5) S(4) type(3:0)
    static final int ACCESS_CODE = 0x9b;  // present, ring 0, code/data, execute/read, accessed
    static final int ACCESS_DATA = 0x93;  // present, ring 0, code/data, read/write, accessed
    // flags nibble: G(3) D/B(2) L(1) AVL(0)
    static final int FLAGS_32 = 0xc;      // 4 KiB granularity, 32-bit
    static final int FLAGS_64 = 0xa;      // 4 KiB granularity, 64-bit code (D must be 0)

    /** The four entries, in selector order. */
    public static long[] flatEntries() {
        return new long[] {
            0,                                                  // 0x00: the null descriptor
            descriptor(0, 0xfffff, ACCESS_CODE, FLAGS_32),      // 0x08: 32-bit code
            descriptor(0, 0xfffff, ACCESS_DATA, FLAGS_32),      // 0x10: data
            descriptor(0, 0xfffff, ACCESS_CODE, FLAGS_64),      // 0x18: 64-bit code
        };
    }

    private Gdt() {
    }

    // tag::descriptor[]
    /** Packs a segment descriptor: the base and limit are split across the 8 bytes for 286 compatibility. */
    public static long descriptor(long base, long limit, int access, int flags) {
        return (limit & 0xffffL)
                | ((base & 0xffffffL) << 16)
                | ((long) (access & 0xff) << 40)
                | (((limit >> 16) & 0xfL) << 48)
                | ((long) (flags & 0xf) << 52)
                | (((base >> 24) & 0xffL) << 56);
    }
    // end::descriptor[]

    /** What the CPU caches when it loads selector from a table holding this descriptor. */
    public static Segment segment(int selector, long descriptor) {
        long base = ((descriptor >>> 16) & 0xffffffL) | (((descriptor >>> 56) & 0xffL) << 24);
        long limit = (descriptor & 0xffffL) | (((descriptor >>> 48) & 0xfL) << 16);
        int access = (int) ((descriptor >>> 40) & 0xff);
        int flags = (int) ((descriptor >>> 52) & 0xf);
        boolean g = (flags & 0x8) != 0;
        long bytes = g ? (limit << 12) | 0xfff : limit;   // kvm_segment.limit is in bytes
        return new Segment(base, (int) bytes, selector, access & 0xf, (access & 0x80) != 0, (access >> 5) & 3,
                (flags & 0x4) != 0, (access & 0x10) != 0, (flags & 0x2) != 0, g, (flags & 0x1) != 0, false);
    }

    /** Writes the table at address and returns the limit lgdt wants (size in bytes minus one). */
    public static int write(GuestMemory memory, long address) {
        long[] entries = flatEntries();
        for (int i = 0; i < entries.length; i++) {
            memory.writeU64(address + 8L * i, entries[i]);
        }
        return entries.length * 8 - 1;
    }

    public static Segment segment(int selector) {
        return segment(selector, flatEntries()[selector >> 3]);
    }
}
