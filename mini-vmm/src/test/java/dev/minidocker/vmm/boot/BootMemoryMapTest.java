package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.minidocker.vmm.kvm.VmmException;

class BootMemoryMapTest {
    private static final long MIB = 1 << 20;

    @Test
    void initrdGoesAtTheTopOfMemoryPageAligned() {
        long at = BootMemoryMap.initrdAddress(256 * MIB, 1_000_000, 0x7fffffff, 48 * MIB);
        assertEquals(0, at % 4096);
        assertTrue(at + 1_000_000 <= 256 * MIB);
        assertTrue(256 * MIB - (at + 1_000_000) < 4096, "as high as it goes");
    }

    @Test
    void initrdStaysBelowInitrdAddrMax() {
        long at = BootMemoryMap.initrdAddress(3L << 30, 4096 * 10, 0x37ffffffL, 48 * MIB);
        assertEquals(0x38000000L - 4096 * 10, at, "old kernels: initrd_addr_max 0x37ffffff");
    }

    @Test
    void initrdThatWouldOverlapTheKernelIsRefused() {
        VmmException e = assertThrows(VmmException.class,
                () -> BootMemoryMap.initrdAddress(64 * MIB, 32 * MIB, 0x7fffffff, 48 * MIB));
        assertEquals("kernel and initrd do not fit in 64 MiB of guest memory (the kernel needs up to 48 MiB, "
                + "the initrd 32768 KiB more): give --mem more", e.getMessage());
    }

    @Test
    void kernelEndCountsInitSizeFromPrefAddress() {
        BzImage k = BzImage.parse(TestKernels.synthetic(4096), "test");
        assertEquals(0x1000000L + 0x2000000L, BootMemoryMap.kernelEnd(k));
    }

    @Test
    void commandLineMustFitCmdlineSize() {
        BzImage k = BzImage.parse(TestKernels.synthetic(4096), "test");
        BootMemoryMap.checkCmdline(k, "x".repeat(2047));
        VmmException e = assertThrows(VmmException.class, () -> BootMemoryMap.checkCmdline(k, "x".repeat(2048)));
        assertEquals("kernel command line of 2048 bytes is too long: this kernel takes at most 2047", e.getMessage());
    }

    @Test
    void fixedPlacesDoNotOverlap() {
        assertTrue(BootMemoryMap.GDT + 32 <= BootMemoryMap.ZERO_PAGE);
        assertTrue(BootMemoryMap.ZERO_PAGE + BootParams.SIZE <= BootMemoryMap.PML4);
        assertTrue(BootMemoryMap.PAGE_DIRECTORIES + 4 * 4096 <= BootMemoryMap.CMDLINE);
        assertTrue(BootMemoryMap.CMDLINE + 2048 <= E820.LOW_RAM_END);
    }
}
