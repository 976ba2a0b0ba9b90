package dev.minidocker.vmm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.minidocker.vmm.kvm.Segment;

class GdtTest {
    @Test
    void flatDescriptorsHaveTheWellKnownEncodings() {
        long[] gdt = Gdt.flatEntries();
        assertEquals(0L, gdt[0]);
        assertEquals(0x00cf9b000000ffffL, gdt[1], "32-bit code, base 0, limit 4 GiB");
        assertEquals(0x00cf93000000ffffL, gdt[2], "data, base 0, limit 4 GiB");
        assertEquals(0x00af9b000000ffffL, gdt[3], "64-bit code: L set, D clear");
    }

    @Test
    void baseAndLimitAreSplitAcrossTheDescriptor() {
        long d = Gdt.descriptor(0x12345678L, 0xabcde, 0x93, 0x4);
        assertEquals(0xbcde, d & 0xffff);
        assertEquals(0x345678, (d >>> 16) & 0xffffff);
        assertEquals(0xa, (d >>> 48) & 0xf);
        assertEquals(0x12, d >>> 56);
        Segment s = Gdt.segment(0x10, d);
        assertEquals(0x12345678L, s.base());
        assertEquals(0xabcde, s.limit(), "byte granular: the limit is in bytes");
    }

    @Test
    void segmentCacheMatchesTheTableEntry() {
        Segment code = Gdt.segment(Gdt.CODE32_SELECTOR);
        assertEquals(0x08, code.selector());
        assertEquals(0xb, code.type());
        assertEquals(0xffffffff, code.limit(), "4 KiB granularity: limit 0xfffff means 4 GiB - 1");
        assertTrue(code.db() && code.g() && code.s() && code.present());
        Segment code64 = Gdt.segment(Gdt.CODE64_SELECTOR);
        assertTrue(code64.l());
        assertFalse(code64.db());
    }
}
