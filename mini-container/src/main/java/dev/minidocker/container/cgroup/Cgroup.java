package dev.minidocker.container.cgroup;

import java.nio.file.Path;

/** One container's cgroup, made by a {@link CgroupDriver} with its limits already written. */
public interface Cgroup {
    /** The pid that {@code cgroup.procs} reads as "the process writing this". */
    int SELF = 0;

    /** Moves process {@code pid} (all its threads) in; its future children are born inside. */
    void addProcess(int pid);

    CgroupStats stats();

    /** Whether the kernel's OOM killer has killed a task of this cgroup. */
    boolean oomKilled();

    /** Kills what is left inside and removes the cgroup. Safe to call twice, and after an OOM kill. */
    void destroy();

    /** Every directory of this cgroup: one per v1 hierarchy, the only one on v2. */
    java.util.List<Path> directories();

    /** The cgroup's directory (v1: the one in the memory hierarchy). */
    Path path();

    /**
     * Where one control file of this cgroup lives, e.g. {@code cpu.stat}. On v1 the part before
     * the first dot names the hierarchy ({@code cpu.cfs_quota_us} is in the cpu one).
     */
    Path file(String name);
}
