package dev.minidocker.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** Struct sizes and offsets against {@code <linux/kvm.h>} on x86-64, and lossless round trips. */
class StructLayoutTest {
    @Test
    void structSizesMatchTheKernelHeader() {
        assertEquals(144, Regs.SIZE);
        assertEquals(312, Sregs.SIZE);
        assertEquals(24, Segment.SIZE);
        assertEquals(16, DescriptorTable.SIZE);
        assertEquals(32, MemoryRegion.SIZE);
        assertEquals(40, Cpuid.ENTRY_SIZE);
        assertEquals(8, Cpuid.HEADER_SIZE);
    }

    @Test
    void kvmRunOffsetsMatchTheKernelHeader() {
        assertEquals(1, KvmRun.IMMEDIATE_EXIT);
        assertEquals(8, KvmRun.EXIT_REASON);
        assertEquals(0x22, KvmRun.IO_PORT);
        assertEquals(0x28, KvmRun.IO_DATA_OFFSET);
        assertEquals(0x30, KvmRun.MMIO_LEN);
        assertEquals(0x34, KvmRun.MMIO_IS_WRITE);
    }

    @Test
    void regsRoundTripThroughNativeMemoryInKernelOrder() {
        Regs regs = new Regs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x8000, 0x202);
        Pointer p = Memory.allocateDirect(Native.runtime(), Regs.SIZE, true);
        regs.write(p);
        assertEquals(1, p.getLong(0));          // rax first
        assertEquals(0x8000, p.getLong(128));   // rip at 16 * 8
        assertEquals(0x202, p.getLong(136));    // rflags last
        assertEquals(regs, Regs.read(p));
    }

    @Test
    void sregsRoundTripWithSegmentAttributesInPlace() {
        Segment cs = new Segment(0x1000, 0xfffff, 0x08, 0xb, true, 0, true, true, false, true, false, false);
        Segment ds = Segment.realMode(0x10, 3);
        long[] bitmap = {1, 2, 3, 4};
        Sregs s = new Sregs(cs, ds, ds, ds, ds, ds, ds, ds, new DescriptorTable(0x500, 31), new DescriptorTable(0x600, 255),
                0x80000011L, 0, 0x1000, 0x20, 0, 0x500, 0xfee00900L, bitmap);
        Pointer p = Memory.allocateDirect(Native.runtime(), Sregs.SIZE, true);
        s.write(p);
        assertEquals(0x08, p.getShort(12));            // cs.selector
        assertEquals(0xb, p.getByte(14));              // cs.type
        assertEquals(0x500, p.getLong(0xc0));          // gdt.base
        assertEquals(0x80000011L, p.getLong(0xe0));    // cr0
        assertEquals(1, p.getLong(0x118));             // interrupt_bitmap[0]
        Sregs back = Sregs.read(p);
        assertEquals(cs, back.cs());
        assertEquals(s.gdt(), back.gdt());
        assertEquals(s.efer(), back.efer());
        assertArrayEquals(bitmap, back.interruptBitmap());
    }

    @Test
    void cpuidEntriesRoundTrip() {
        List<Cpuid.Entry> entries = List.of(new Cpuid.Entry(0, 0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69),
                new Cpuid.Entry(0x80000001, 0, 0, 0, 0, 0, 1 << 29));
        Pointer p = Memory.allocateDirect(Native.runtime(), Cpuid.HEADER_SIZE + 2 * Cpuid.ENTRY_SIZE, true);
        Cpuid.write(p, entries);
        assertEquals(2, p.getInt(0));
        assertEquals(0x80000001, p.getInt(Cpuid.HEADER_SIZE + Cpuid.ENTRY_SIZE));
        assertEquals(entries, Cpuid.read(p));
    }
}
