package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.sys.CloneFlags;
import dev.minidocker.sys.MountFlags;
import dev.minidocker.sys.Syscalls;

/**
 * The init stage's side of cgroups. After the start signal it moves itself into the cgroup the
 * runtime made (so its own JVM start-up was charged to the runtime, not to the container's
 * memory limit), then a new cgroup namespace makes that cgroup look like the root
 * ({@code /proc/self/cgroup} says {@code /}), and the cgroup file system mounted read-only at
 * {@code /sys/fs/cgroup} shows the container its own limits and usage, and nothing of the
 * host's other cgroups.
 */
public final class CgroupNamespace {
    private static final long READ_ONLY = MountFlags.MS_RDONLY | MountFlags.MS_NOSUID | MountFlags.MS_NODEV | MountFlags.MS_NOEXEC;

    private CgroupNamespace() {
    }

    // tag::set-up[]
    /**
     * Joins the container's cgroup through the cgroup.procs files the runtime named (opened before
     * pivot_root, written after the start signal), then a new cgroup namespace makes it the root.
     * Called by the init stage, on the thread that will execve.
     *
     * @param procsFds  open descriptors of the container's cgroup.procs files, one per hierarchy
     * @param newNamespace whether the spec asks for a new cgroup namespace
     */
    public static void join(List<Integer> procsFds, boolean newNamespace) {
        byte[] self = {'0'}; // "0" means the writing process: every page it touches from now on is charged here
        for (int fd : procsFds) {
            Syscalls.write(fd, self, 1);
            Syscalls.close(fd);
        }
        if (newNamespace && !procsFds.isEmpty()) {
            Syscalls.unshare(CloneFlags.CLONE_NEWCGROUP);
        }
    }

    /**
     * Mounts the cgroup file system at target: on v1 a small tmpfs with one mount per hierarchy
     * the container was put in (named as in /sys/fs/cgroup, e.g. {@code cpu,cpuacct}), on v2 the
     * cgroup2 tree. After {@link #join} with a new namespace, each shows only the container's own
     * cgroup, as its root.
     *
     * @param hierarchies the v1 hierarchies' directory names, or empty for v2
     */
    public static void mount(Path target, List<String> hierarchies, boolean readOnly) {
        long flags = MountFlags.MS_NOSUID | MountFlags.MS_NODEV | MountFlags.MS_NOEXEC | (readOnly ? MountFlags.MS_RDONLY : 0);
        mkdir(target);
        if (!hierarchies.isEmpty()) {
            Syscalls.mount("tmpfs", target.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV | MountFlags.MS_NOEXEC, "mode=755,size=64k");
            for (String h : hierarchies) {
                Path dir = target.resolve(h);
                mkdir(dir);
                Syscalls.mount("cgroup", dir.toString(), "cgroup", flags, h);
            }
            if (readOnly) {
                Syscalls.mount(null, target.toString(), null, MountFlags.MS_REMOUNT | READ_ONLY, "mode=755,size=64k");
            }
        } else {
            try {
                Syscalls.mount("cgroup2", target.toString(), "cgroup2", flags, null);
            } catch (dev.minidocker.sys.SyscallException e) {
                if (e.errno() != dev.minidocker.sys.Errno.EPERM) {
                    throw e;
                }
                // rootless without a cgroup of its own (no cgroup namespace its user namespace owns): nothing to show
                Syscalls.mount("tmpfs", target.toString(), "tmpfs", flags | MountFlags.MS_RDONLY, "mode=755,size=4k");
            }
        }
    }

    /** The v1 hierarchy of a cgroup.procs path under /sys/fs/cgroup ("memory", "cpu,cpuacct"), or null for v2. */
    public static String hierarchyOf(String procsFile) {
        Path p = Path.of(procsFile);
        Path rel = Path.of("/sys/fs/cgroup").relativize(p);
        String first = rel.getName(0).toString();
        return first.equals("unified") || p.getParent().getParent() == null || !Files.exists(Path.of("/sys/fs/cgroup", first, "cgroup.procs"))
                || Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? null : first;
    }
    // end::set-up[]

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CgroupException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void mkdir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot create mount point " + dir + ": " + e.getMessage(), e);
        }
    }
}
