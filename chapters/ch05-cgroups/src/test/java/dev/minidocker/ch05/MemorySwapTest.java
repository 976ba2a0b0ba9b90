package dev.minidocker.ch05;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.cgroup.Limits;

/** The chapter's exercise on docker's --memory-swap: what v1 and v2 each get written. */
class MemorySwapTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void memorySwapIsMemoryPlusSwap() {
        Limits l = Limits.parse("64m", "100m", null, null, null);
        assertEquals(100 * MIB, l.memoryPlusSwapBytes()); // v1 memory.memsw.limit_in_bytes
        assertEquals(36 * MIB, l.swapOnlyBytes());        // v2 memory.swap.max
    }

    @Test
    void withoutMemorySwapTheContainerGetsAsMuchSwapAsMemory() {
        Limits l = Limits.parse("64m", null, null, null, null);
        assertEquals(128 * MIB, l.memoryPlusSwapBytes());
        assertEquals(64 * MIB, l.swapOnlyBytes());
    }

    @Test
    void equalToMemoryMeansNoSwapAndMinusOneMeansUnlimited() {
        assertEquals(0L, Limits.parse("64m", "64m", null, null, null).swapOnlyBytes());
        assertEquals(-1L, Limits.parse("64m", "-1", null, null, null).memoryPlusSwapBytes());
        assertEquals(-1L, Limits.parse("64m", "-1", null, null, null).swapOnlyBytes());
    }
}
