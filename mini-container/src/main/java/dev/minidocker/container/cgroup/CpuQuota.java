package dev.minidocker.container.cgroup;

/**
 * CPU bandwidth: in every period of {@code periodMicros} the cgroup's tasks together may run for
 * {@code quotaMicros} of CPU time (on any number of CPUs), then they are throttled until the next
 * period. {@code --cpus 0.5} is 50 ms per 100 ms. A quota of {@code -1} means unlimited.
 */
public record CpuQuota(long quotaMicros, long periodMicros) {
    /** The kernel's and docker's default period: 100 ms. */
    public static final long DEFAULT_PERIOD = 100_000;
    public static final CpuQuota UNLIMITED = new CpuQuota(-1, DEFAULT_PERIOD);

    // tag::from-cpus[]
    /** {@code --cpus 0.5} to a quota of 50000 µs per 100000 µs period. */
    public static CpuQuota fromCpus(double cpus) {
        // exercise:begin ch05-cgroups-cpus-to-quota "CPUs' worth of time per period: quota = cpus x period, in microseconds"
        long period = DEFAULT_PERIOD;
        long quota = Math.round(cpus * period);
        return new CpuQuota(quota, period);
        // exercise:end ch05-cgroups-cpus-to-quota
    }
    // end::from-cpus[]

    // tag::cpu-max[]
    /** The v2 {@code cpu.max} line: {@code "50000 100000"}, or {@code "max 100000"}. */
    public String toCpuMax() {
        // exercise:begin ch05-cgroups-cpu-max "cpu.max is one line: the quota (or the word max) and the period, separated by a space"
        String quota = quotaMicros < 0 ? "max" : Long.toString(quotaMicros);
        return quota + " " + periodMicros;
        // exercise:end ch05-cgroups-cpu-max
    }
    // end::cpu-max[]

    /** Reads a v2 {@code cpu.max} line. */
    public static CpuQuota parseCpuMax(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("cpu.max should be 'QUOTA PERIOD', got '" + line.trim() + "'");
        }
        long quota = parts[0].equals("max") ? -1 : Long.parseLong(parts[0]);
        return new CpuQuota(quota, Long.parseLong(parts[1]));
    }

    /** How many CPUs' worth this is, or -1 when unlimited. */
    public double cpus() {
        return quotaMicros < 0 ? -1 : (double) quotaMicros / periodMicros;
    }
}
