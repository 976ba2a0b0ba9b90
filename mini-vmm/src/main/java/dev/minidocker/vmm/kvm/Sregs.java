package dev.minidocker.vmm.kvm;

import jnr.ffi.Pointer;

/**
 * {@code struct kvm_sregs}: the "special" registers that decide the CPU's mode: segment
 * registers, GDT and IDT, control registers CR0/CR3/CR4, and the EFER MSR.
 */
public record Sregs(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss,
                    Segment tr, Segment ldt, DescriptorTable gdt, DescriptorTable idt,
                    long cr0, long cr2, long cr3, long cr4, long cr8, long efer, long apicBase,
                    long[] interruptBitmap) {
    /** 8 segments, 2 tables, 7 registers, a 256-bit pending-interrupt bitmap. */
    public static final int SIZE = 8 * Segment.SIZE + 2 * DescriptorTable.SIZE + 7 * 8 + 4 * 8;

    /** Loads cs with a code segment and ds, es, fs, gs, ss with a data segment. */
    public Sregs withSegments(Segment code, Segment data) {
        return new Sregs(code, data, data, data, data, data, tr, ldt, gdt, idt,
                cr0, cr2, cr3, cr4, cr8, efer, apicBase, interruptBitmap);
    }

    public Sregs withGdt(DescriptorTable table) {
        return new Sregs(cs, ds, es, fs, gs, ss, tr, ldt, table, idt,
                cr0, cr2, cr3, cr4, cr8, efer, apicBase, interruptBitmap);
    }

    /** Sets the control registers that select the mode: CR0 (PE, PG), CR3 (page tables), CR4 (PAE), EFER (LME, LMA). */
    public Sregs withControl(long newCr0, long newCr3, long newCr4, long newEfer) {
        return new Sregs(cs, ds, es, fs, gs, ss, tr, ldt, gdt, idt,
                newCr0, cr2, newCr3, newCr4, cr8, newEfer, apicBase, interruptBitmap);
    }

    static Sregs read(Pointer p) {
        Segment[] seg = new Segment[8];
        for (int i = 0; i < 8; i++) {
            seg[i] = Segment.read(p, (long) i * Segment.SIZE);
        }
        long off = 8 * Segment.SIZE;
        DescriptorTable gdt = DescriptorTable.read(p, off);
        DescriptorTable idt = DescriptorTable.read(p, off + DescriptorTable.SIZE);
        off += 2 * DescriptorTable.SIZE;
        long[] cr = new long[7];
        p.get(off, cr, 0, 7);
        long[] bitmap = new long[4];
        p.get(off + 56, bitmap, 0, 4);
        return new Sregs(seg[0], seg[1], seg[2], seg[3], seg[4], seg[5], seg[6], seg[7], gdt, idt,
                cr[0], cr[1], cr[2], cr[3], cr[4], cr[5], cr[6], bitmap);
    }

    void write(Pointer p) {
        Segment[] seg = {cs, ds, es, fs, gs, ss, tr, ldt};
        for (int i = 0; i < 8; i++) {
            seg[i].write(p, (long) i * Segment.SIZE);
        }
        long off = 8 * Segment.SIZE;
        gdt.write(p, off);
        idt.write(p, off + DescriptorTable.SIZE);
        off += 2 * DescriptorTable.SIZE;
        p.put(off, new long[] {cr0, cr2, cr3, cr4, cr8, efer, apicBase}, 0, 7);
        p.put(off + 56, interruptBitmap, 0, 4);
    }
}
