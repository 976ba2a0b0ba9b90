package dev.minidocker.container.cgroup;

import dev.minidocker.container.spec.ContainerSpec;

/** The cgroup limits of an OCI config.json's linux.resources, in the form the drivers write. */
public final class SpecLimits {
    private SpecLimits() {
    }

    public static Limits from(ContainerSpec.Resources r) {
        if (r == null) {
            return Limits.none();
        }
        Long memory = r.memory() != null && r.memory().limit() != null && r.memory().limit() > 0 ? r.memory().limit() : null;
        // OCI's memory.swap is memory plus swap, as --memory-swap is; -1 means unlimited
        Long swap = r.memory() != null && r.memory().swap() != null && r.memory().swap() != 0 && memory != null ? r.memory().swap() : null;
        Double cpus = null;
        Integer weight = null;
        if (r.cpu() != null) {
            if (r.cpu().quota() != null && r.cpu().quota() > 0) {
                long period = r.cpu().period() == null || r.cpu().period() <= 0 ? CpuQuota.DEFAULT_PERIOD : r.cpu().period();
                cpus = (double) r.cpu().quota() / period;
            }
            if (r.cpu().shares() != null && r.cpu().shares() > 0) {
                weight = CpuWeight.fromShares(r.cpu().shares());
            }
        }
        Integer pids = r.pids() != null && r.pids().limit() > 0 ? (int) Math.min(Integer.MAX_VALUE, r.pids().limit()) : null;
        return new Limits(memory, swap, cpus, weight, pids);
    }
}
