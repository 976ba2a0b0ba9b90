package dev.minidocker.ch05;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.cgroup.CpuQuota;
import dev.minidocker.container.cgroup.CpuWeight;

/** The chapter's exercises: docker's CPU options written the way each cgroup version reads them. */
class CpuLimitTranslationTest {
    @Test
    void halfACpuIs50msOfEvery100ms() {
        CpuQuota q = CpuQuota.fromCpus(0.5);
        assertEquals(50_000, q.quotaMicros());   // v1 cpu.cfs_quota_us
        assertEquals(100_000, q.periodMicros()); // v1 cpu.cfs_period_us
        assertEquals("50000 100000", q.toCpuMax()); // v2 cpu.max
    }

    @Test
    void moreThanOneCpuIsAQuotaLongerThanThePeriod() {
        assertEquals("250000 100000", CpuQuota.fromCpus(2.5).toCpuMax());
        assertEquals("1000 100000", CpuQuota.fromCpus(0.01).toCpuMax());
        assertEquals("33333 100000", CpuQuota.fromCpus(0.33333).toCpuMax());
    }

    @Test
    void noQuotaIsWrittenAsMax() {
        assertEquals("max 100000", CpuQuota.UNLIMITED.toCpuMax());
    }

    @Test
    void cpuWeightBecomesSharesWithTheDefaultsMatching() {
        assertEquals(1024, CpuWeight.toShares(100));
        assertEquals(256, CpuWeight.toShares(25));
        assertEquals(10, CpuWeight.toShares(1));
        assertEquals(1536, CpuWeight.toShares(150));
        assertEquals(102_400, CpuWeight.toShares(10_000));
    }
}
