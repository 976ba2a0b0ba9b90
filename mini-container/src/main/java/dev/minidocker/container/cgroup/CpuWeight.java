package dev.minidocker.container.cgroup;

/**
 * The relative CPU share under contention: cgroup v2 {@code cpu.weight} (1..10000, default 100)
 * and its v1 ancestor {@code cpu.shares} (2..262144, default 1024).
 *
 * <p>The conversion is the kernel's own: writing weight {@code w} to {@code cpu.weight} gives the
 * scheduler the same group weight as writing {@code w * 1024 / 100} to {@code cpu.shares}
 * ({@code sched_weight_from_cgroup} in kernel/sched/core.c), so the defaults match (100 and
 * 1024). runc maps the two ranges end to end instead ({@code 1 + (shares - 2) * 9999 / 262142}),
 * which does not keep the defaults equal.
 */
public final class CpuWeight {
    public static final int MIN = 1;
    public static final int MAX = 10_000;
    public static final int DEFAULT = 100;
    public static final long MIN_SHARES = 2;
    public static final long MAX_SHARES = 262_144;
    public static final long DEFAULT_SHARES = 1024;

    private CpuWeight() {
    }

    // tag::to-shares[]
    /** v2 weight to v1 shares, rounded to the nearest share: 100 to 1024. */
    public static long toShares(int weight) {
        // exercise:begin ch05-cgroups-weight-to-shares "the kernel scales weight so that the defaults meet: 100 -> 1024, rounded, kept within 2..262144"
        long shares = Math.round(weight * (double) DEFAULT_SHARES / DEFAULT);
        return Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
        // exercise:end ch05-cgroups-weight-to-shares
    }
    // end::to-shares[]

    /** v1 shares back to the v2 weight that gives the same scheduler weight. */
    public static int fromShares(long shares) {
        long weight = Math.round(shares * (double) DEFAULT / DEFAULT_SHARES);
        return (int) Math.max(MIN, Math.min(MAX, weight));
    }
}
