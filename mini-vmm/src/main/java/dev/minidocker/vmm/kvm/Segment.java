package dev.minidocker.vmm.kvm;

import jnr.ffi.Pointer;

/**
 * {@code struct kvm_segment}: a segment register as the CPU caches it (the "hidden part"):
 * base, limit in bytes, selector and the attribute bits of its descriptor.
 *
 * @param type descriptor type: 0xb = code, execute/read, accessed; 0x3 = data, read/write, accessed
 * @param db   default operand size 32 bits (code) or big (stack)
 * @param s    1 for code/data segments, 0 for system segments (TSS, LDT)
 * @param l    64-bit code segment
 * @param g    granularity: the descriptor's limit counts 4 KiB pages
 */
public record Segment(long base, int limit, int selector, int type, boolean present, int dpl,
                      boolean db, boolean s, boolean l, boolean g, boolean avl, boolean unusable) {
    public static final int SIZE = 24;

    static Segment read(Pointer p, long off) {
        return new Segment(p.getLong(off), p.getInt(off + 8), p.getShort(off + 12) & 0xffff,
                p.getByte(off + 14) & 0xff, p.getByte(off + 15) != 0, p.getByte(off + 16) & 0xff,
                p.getByte(off + 17) != 0, p.getByte(off + 18) != 0, p.getByte(off + 19) != 0,
                p.getByte(off + 20) != 0, p.getByte(off + 21) != 0, p.getByte(off + 22) != 0);
    }

    void write(Pointer p, long off) {
        p.putLong(off, base);
        p.putInt(off + 8, limit);
        p.putShort(off + 12, (short) selector);
        p.putByte(off + 14, (byte) type);
        p.putByte(off + 15, bit(present));
        p.putByte(off + 16, (byte) dpl);
        p.putByte(off + 17, bit(db));
        p.putByte(off + 18, bit(s));
        p.putByte(off + 19, bit(l));
        p.putByte(off + 20, bit(g));
        p.putByte(off + 21, bit(avl));
        p.putByte(off + 22, bit(unusable));
        p.putByte(off + 23, (byte) 0);
    }

    private static byte bit(boolean b) {
        return (byte) (b ? 1 : 0);
    }

    /** A real-mode segment: base = selector * 16, 64 KiB limit. */
    public static Segment realMode(int selector, int type) {
        return new Segment((long) selector << 4, 0xffff, selector, type, true, 0, false, true, false, false, false, false);
    }
}
