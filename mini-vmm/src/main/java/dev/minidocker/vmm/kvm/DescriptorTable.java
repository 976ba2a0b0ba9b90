package dev.minidocker.vmm.kvm;

import jnr.ffi.Pointer;

/** {@code struct kvm_dtable}: where a descriptor table (GDT or IDT) lives, as lgdt/lidt load it. */
public record DescriptorTable(long base, int limit) {
    public static final int SIZE = 16;

    static DescriptorTable read(Pointer p, long off) {
        return new DescriptorTable(p.getLong(off), p.getShort(off + 8) & 0xffff);
    }

    void write(Pointer p, long off) {
        p.putLong(off, base);
        p.putShort(off + 8, (short) limit);
        p.putShort(off + 10, (short) 0);
        p.putInt(off + 12, 0);
    }
}
