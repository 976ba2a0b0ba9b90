package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
     * Joins the container's cgroup, unshares the cgroup namespace and mounts the cgroup file
     * system under {@code root}; from the thread that will execve (the namespace is per thread
     * until then). Does nothing when the runtime made no cgroup for this container.
     *
     * @param root        the container's root directory, before pivot_root
     * @param containerId the container's id, which names its cgroup
     */
    public static void enter(Path root, String containerId) {
        Optional<Cgroup> cgroup;
        try {
            cgroup = Cgroups.find(containerId);
        } catch (CgroupException noCgroupsHere) {
            return;
        }
        if (cgroup.isEmpty()) {
            return;
        }
        cgroup.get().addProcess(Cgroup.SELF); // from here on, every page this process touches is charged to it
        List<String> v1Controllers = new ArrayList<>();
        boolean v2 = false;
        for (String line : read(Path.of("/proc/self/cgroup")).split("\n")) {
            String[] f = line.split(":", 3); // hierarchy-ID:controllers:path
            if (f.length == 3 && f[2].startsWith("/" + CgroupDriver.PARENT + "/")) {
                if (f[1].isEmpty()) {
                    v2 = true;
                } else {
                    v1Controllers.add(f[1]);
                }
            }
        }
        if (v1Controllers.isEmpty() && !v2) {
            return;
        }
        Syscalls.unshare(CloneFlags.CLONE_NEWCGROUP);
        Path target = root.resolve("sys/fs/cgroup");
        if (!v1Controllers.isEmpty()) {
            // v1: a small tmpfs holds one mount point per hierarchy, then becomes read-only too
            Syscalls.mount("tmpfs", target.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV | MountFlags.MS_NOEXEC, "mode=755,size=64k");
            for (String controllers : v1Controllers) {
                Path dir = target.resolve(controllers);
                mkdir(dir);
                Syscalls.mount("cgroup", dir.toString(), "cgroup", READ_ONLY, controllers);
            }
            Syscalls.mount(null, target.toString(), null, MountFlags.MS_REMOUNT | READ_ONLY, "mode=755,size=64k");
        } else {
            Syscalls.mount("cgroup2", target.toString(), "cgroup2", READ_ONLY, null);
        }
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
