package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.MS_BIND;
import static dev.minidocker.sys.MountFlags.MS_REC;
import static dev.minidocker.sys.MountFlags.MS_REMOUNT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.minidocker.container.image.InRoot;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Syscalls;

/**
 * The mounts of an OCI config.json, made under the container's root before pivot_root. Each
 * destination is resolved inside the root (links in the image cannot aim a mount at the host);
 * a bind mount's source is a host path, and read-only bind mounts need a second, remounting
 * call because the kernel ignores MS_RDONLY on the first (mount(2), "Creating a bind mount").
 */
public final class SpecMounts {
    private SpecMounts() {
    }

    /** Whether a mount is the cgroup file system, which the init stage mounts only after joining its cgroup. */
    public static boolean isCgroup(ContainerSpec.Mount m) {
        return "cgroup".equals(m.type()) || "cgroup2".equals(m.type());
    }

    // tag::mount[]
    /** Makes one mount under root. */
    public static void mount(Path root, ContainerSpec.Mount m) {
        MountOptions o = MountOptions.parse(m.options());
        boolean bind = o.isBind() || "bind".equals(m.type()) || "rbind".equals(m.type());
        Path target = InRoot.securePath(root, m.destination());
        if (bind) {
            Path source = Path.of(m.source());
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS) && !Files.exists(source)) {
                throw new IllegalStateException("bind mount source " + source + " does not exist (for " + m.destination() + ")");
            }
            makeMountPoint(target, Files.isDirectory(source));
            long flags = MS_BIND | (o.flags() & MS_REC) | ("rbind".equals(m.type()) ? MS_REC : 0);
            Syscalls.mount(source.toString(), target.toString(), null, flags, null);
            long rest = o.flags() & ~(MS_BIND | MS_REC);
            if (rest != 0) {
                // MS_RDONLY and the like only take effect on a bind mount when remounted
                Syscalls.mount(null, target.toString(), null, MS_BIND | MS_REMOUNT | rest, null);
            }
        } else if ("proc".equals(m.type()) && target.equals(root.resolve("proc"))) {
            makeMountPoint(target, true);
            KernelFilesystems.mountProc(root);     // chapter 3: only a process inside the PID namespace can
        } else {
            makeMountPoint(target, true);
            String source = m.source() == null ? m.type() : m.source();
            try {
                Syscalls.mount(source, target.toString(), m.type(), o.flags(), o.data());
            } catch (dev.minidocker.sys.SyscallException e) {
                inUserNamespace(e, source, target, m.type(), o);
            }
        }
        if (o.propagation() != 0) {
            Syscalls.mount(null, target.toString(), null, o.propagation(), null);
        }
    }
    // end::mount[]

    /**
     * What a user namespace's root may not mount, done as runc does, else the failure stands: sysfs in a
     * network namespace its namespace does not own (a bridge network the engine made) is the host's /sys
     * bound read-only; devpts with gid=5 where that group is not mapped (rootless: one ID) goes without it.
     */
    private static void inUserNamespace(dev.minidocker.sys.SyscallException e, String source, Path target, String type, MountOptions o) {
        if ("sysfs".equals(type) && e.errno() == dev.minidocker.sys.Errno.EPERM) {
            Syscalls.mount("/sys", target.toString(), null, MS_BIND | MS_REC, null);
            Syscalls.mount(null, target.toString(), null, MS_BIND | MS_REMOUNT | (o.flags() & ~(MS_BIND | MS_REC)), null);
        } else if ("devpts".equals(type) && e.errno() == dev.minidocker.sys.Errno.EINVAL && o.data() != null
                && o.data().matches("(.*,)?gid=\\d+(,.*)?")) {
            String data = String.join(",", java.util.Arrays.stream(o.data().split(",")).filter(x -> !x.startsWith("gid=")).toList());
            Syscalls.mount(source, target.toString(), type, o.flags(), data);
        } else {
            throw e;
        }
    }

    private static void makeMountPoint(Path target, boolean directory) {
        try {
            if (directory) {
                Files.createDirectories(target);
            } else if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create mount point " + target + ": " + e.getMessage(), e);
        }
    }
}
