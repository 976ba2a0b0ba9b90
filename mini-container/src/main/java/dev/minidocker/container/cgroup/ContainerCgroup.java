package dev.minidocker.container.cgroup;

import java.util.function.Predicate;

/**
 * One container's cgroup through the container's life, as the runtime's caller uses it:
 * {@link #create} before sending the start signal; the init stage then joins it by itself
 * ({@link CgroupNamespace#enter}) before it sets up the container, so the limits hold from the
 * command's first instruction. {@link #exitReport} and {@link #stats} when it has ended,
 * {@link #close} in a finally.
 */
public final class ContainerCgroup implements AutoCloseable {
    private final Cgroup cgroup;
    private final Limits limits;

    private ContainerCgroup(Cgroup cgroup, Limits limits) {
        this.cgroup = cgroup;
        this.limits = limits;
    }

    // tag::create[]
    /**
     * Clears cgroups left by crashed runs, then creates the container's cgroup with its limits.
     *
     * @param driverOverride  null to detect, or "v1" / "v2" ({@code --cgroup-driver})
     * @param isLiveContainer whether a container id belongs to a container still running
     */
    public static ContainerCgroup create(String driverOverride, String containerId, Limits limits,
                                         Predicate<String> isLiveContainer) {
        CgroupDriver driver = Cgroups.driver(driverOverride);
        try {
            Cgroups.removeStale(isLiveContainer);
        } catch (CgroupException e) {
            // a leftover that will not go is not this container's problem; 'mini rm' reports it
        }
        return new ContainerCgroup(driver.create(containerId, limits), limits);
    }
    // end::create[]

    /** The cgroup a runtime made for a container (found again by its path), with the limits it was given. */
    public static java.util.Optional<ContainerCgroup> find(String cgroupsPath, Limits limits) {
        return Cgroups.find(cgroupsPath).map(cg -> new ContainerCgroup(cg, limits));
    }

    public Cgroup cgroup() {
        return cgroup;
    }

    public CgroupStats stats() {
        return cgroup.stats();
    }

    // tag::exit-report[]
    /**
     * Why the container ended, when its cgroup knows better than the exit status: an exit by
     * SIGKILL (137) with the OOM counter moved was the kernel's OOM killer. Null otherwise.
     */
    public String exitReport(int exitCode) {
        if (!cgroup.oomKilled()) {
            return null;
        }
        String limit = limits.memoryBytes() == null ? "no limit" : "limit " + ByteSize.format(limits.memoryBytes());
        if (exitCode == 137) {
            return "killed: out of memory, " + limit;
        }
        return "the OOM killer killed " + cgroup.stats().oomKills() + " process(es) inside the container (" + limit + ")";
    }
    // end::exit-report[]

    /** Kills anything left inside and removes the cgroup. */
    @Override
    public void close() {
        cgroup.destroy();
    }
}
