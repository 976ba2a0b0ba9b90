package dev.minidocker.container.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LimitsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void dockerSizesUsePowersOf1024() {
        assertEquals(64 * MIB, ByteSize.parse("64m"));
        assertEquals(64 * MIB, ByteSize.parse("64M"));
        assertEquals(64 * MIB, ByteSize.parse("64MiB"));
        assertEquals(64 * MIB, ByteSize.parse("64mb"));
        assertEquals(2048, ByteSize.parse("2k"));
        assertEquals(3L << 30, ByteSize.parse("3g"));
        assertEquals(512, ByteSize.parse("512b"));
        assertEquals(1000, ByteSize.parse("1000"));
        assertEquals(MIB + MIB / 2, ByteSize.parse("1.5m"));
    }

    @Test
    void badSizesAreRejectedWithAnExample() {
        for (String bad : new String[] {"", "m", "-1m", "64x", "1e3k", "sixty"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(bad), bad);
            assertTrue(e.getMessage().contains("e.g. 64m"), e.getMessage());
        }
    }

    @Test
    void sizesAreFormattedForHumans() {
        assertEquals("64 MiB", ByteSize.format(64 * MIB));
        assertEquals("1.5 GiB", ByteSize.format(3L << 29));
        assertEquals("100 bytes", ByteSize.format(100));
        assertEquals("4 KiB", ByteSize.format(4096));
    }

    @Test
    void memorySwapFollowsDockerSemantics() {
        // --memory 64m alone: as much swap as memory
        Limits dflt = Limits.parse("64m", null, null, null, null);
        assertEquals(128 * MIB, dflt.memoryPlusSwapBytes());
        assertEquals(64 * MIB, dflt.swapOnlyBytes());
        // --memory-swap equal to --memory: no swap at all
        Limits none = Limits.parse("64m", "64m", null, null, null);
        assertEquals(64 * MIB, none.memoryPlusSwapBytes());
        assertEquals(0L, none.swapOnlyBytes());
        // --memory-swap -1: unlimited swap
        Limits unlimited = Limits.parse("64m", "-1", null, null, null);
        assertEquals(-1L, unlimited.memoryPlusSwapBytes());
        assertEquals(-1L, unlimited.swapOnlyBytes());
        // --memory-swap 100m: 36 MiB of swap
        assertEquals(36 * MIB, Limits.parse("64m", "100m", null, null, null).swapOnlyBytes());
        // no memory limit: nothing to write
        assertEquals(null, Limits.none().swapOnlyBytes());
    }

    @Test
    void inconsistentLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Limits.parse(null, "64m", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Limits.parse("64m", "32m", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Limits.parse("1m", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Limits.parse(null, null, "0", null, null));
        assertThrows(IllegalArgumentException.class, () -> Limits.parse(null, null, "half", null, null));
        assertThrows(IllegalArgumentException.class, () -> Limits.parse(null, null, null, 0, null));
        assertThrows(IllegalArgumentException.class, () -> Limits.parse(null, null, null, 10001, null));
        assertThrows(IllegalArgumentException.class, () -> Limits.parse(null, null, null, null, 0));
    }

    @Test
    void noneIsEmptyAndDescribesItself() {
        assertTrue(Limits.none().isEmpty());
        assertEquals("no limits", Limits.none().describe());
        Limits l = Limits.parse("64m", "64m", "0.5", 200, 32);
        assertFalse(l.isEmpty());
        assertEquals("memory 64 MiB (swap 0 bytes), cpus 0.5, cpu weight 200, pids 32", l.describe());
    }

    @Test
    void cpusBecomeAQuotaPerPeriod() {
        assertEquals(new CpuQuota(50_000, 100_000), CpuQuota.fromCpus(0.5));
        assertEquals(new CpuQuota(150_000, 100_000), CpuQuota.fromCpus(1.5));
        assertEquals(new CpuQuota(1_000, 100_000), CpuQuota.fromCpus(0.01));
        assertEquals("50000 100000", CpuQuota.fromCpus(0.5).toCpuMax());
        assertEquals("max 100000", CpuQuota.UNLIMITED.toCpuMax());
        assertEquals(0.25, CpuQuota.parseCpuMax("25000 100000\n").cpus());
        assertEquals(-1, CpuQuota.parseCpuMax("max 100000").quotaMicros());
        assertThrows(IllegalArgumentException.class, () -> CpuQuota.parseCpuMax("50000"));
    }

    @Test
    void cpuWeightMapsToSharesTheWayTheKernelScalesIt() {
        assertEquals(1024, CpuWeight.toShares(100)); // the two defaults meet
        assertEquals(2048, CpuWeight.toShares(200));
        assertEquals(10, CpuWeight.toShares(1));
        assertEquals(102_400, CpuWeight.toShares(10_000));
        assertEquals(512, CpuWeight.toShares(50));
        assertEquals(100, CpuWeight.fromShares(1024));
        assertEquals(1, CpuWeight.fromShares(2));
        assertEquals(10_000, CpuWeight.fromShares(262_144));
        for (int w = CpuWeight.MIN; w <= CpuWeight.MAX; w++) {
            assertEquals(w, CpuWeight.fromShares(CpuWeight.toShares(w)), "weight " + w);
        }
    }
}
