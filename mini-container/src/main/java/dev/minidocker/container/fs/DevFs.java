package dev.minidocker.container.fs;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * A minimal /dev, as the OCI runtime spec lists it: on the fresh tmpfs config.json mounts there,
 * only the harmless character devices and the usual links (devpts for terminals and a tmpfs for
 * POSIX shared memory are mounts of config.json too). The host's disks and /dev/kvm are simply
 * not there.
 */
public final class DevFs {
    /** name, major, minor: the devices of the OCI spec's "Default Devices". */
    private static final Object[][] DEVICES = {
        {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
    };

    private DevFs() {
    }

    /**
     * The nodes and links every container's /dev has (the OCI spec's "Default Devices" and
     * "Dev symbolic links"), made in a /dev the runtime has just mounted as a tmpfs.
     */
    // tag::devfs[]
    public static void createDefaultDevices(Path root) {
        Path dev = root.resolve("dev");
        for (Object[] d : DEVICES) {
            String path = dev.resolve((String) d[0]).toString();
            try {
                Syscalls.mknodChar(path, 0666, (Integer) d[1], (Integer) d[2]);
                chmod(Path.of(path), "rw-rw-rw-"); // mknod applies the umask
            } catch (SyscallException e) {
                if (e.errno() != Errno.EPERM) {
                    throw e;
                }
                bindHostNode("/dev/" + d[0], Path.of(path));
            }
        }
        symlink(dev.resolve("ptmx"), "pts/ptmx");
        symlink(dev.resolve("fd"), "/proc/self/fd");
        symlink(dev.resolve("stdin"), "/proc/self/fd/0");
        symlink(dev.resolve("stdout"), "/proc/self/fd/1");
        symlink(dev.resolve("stderr"), "/proc/self/fd/2");
    }
    // end::devfs[]

    /**
     * Root in a user namespace may not mknod (the node would reach the host's devices whatever the
     * namespace): the host's own node is bind-mounted onto an empty file instead, as runc does.
     */
    public static void bindHostNode(String hostNode, Path target) {
        try {
            if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target + ": " + e.getMessage(), e);
        }
        Syscalls.mount(hostNode, target.toString(), null, dev.minidocker.sys.MountFlags.MS_BIND, null);
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
    }

    private static void chmod(Path p, String perms) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot chmod " + p + ": " + e.getMessage(), e);
        }
    }

    private static void symlink(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create symlink " + link + ": " + e.getMessage(), e);
        }
    }
}
