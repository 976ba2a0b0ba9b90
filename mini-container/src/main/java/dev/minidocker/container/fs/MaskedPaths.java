package dev.minidocker.container.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.image.InRoot;
import dev.minidocker.sys.MountFlags;
import dev.minidocker.sys.StatFs;
import dev.minidocker.sys.Syscalls;

/**
 * linux.maskedPaths and linux.readonlyPaths: parts of /proc and /sys the container must not read
 * or write. A masked file gets /dev/null bound over it (it reads empty), a masked directory an
 * empty read-only tmpfs; a read-only path is bound onto itself and remounted read-only: /proc/sys stays readable, but
 * core_pattern, which the kernel runs as root on the host when a program dumps core, cannot be
 * written. Paths are resolved inside the root, as chroot would, so a symbolic link in the image
 * cannot aim a mount at the host.
 */
public final class MaskedPaths {
    private MaskedPaths() {
    }

    // tag::mask[]
    /**
     * Masks and write-protects paths of the container's root (before pivot_root, after /proc, /sys
     * and /dev are mounted in it). A path that does not exist is skipped, as runc skips it.
     */
    public static void apply(Path root, List<String> masked, List<String> readonly) {
        InRoot inRoot = new InRoot(root);
        for (String p : readonly == null ? List.<String>of() : readonly) {
            Path target = find(inRoot, p);
            if (target != null) {
                String t = target.toString();
                Syscalls.mount(t, t, null, MountFlags.MS_BIND | MountFlags.MS_REC, null);
                // a bind remount sets every flag anew: repeat nosuid, nodev, noexec... as they were
                long kept = StatFs.of(t).mountFlags();
                Syscalls.mount(null, t, null, MountFlags.MS_BIND | MountFlags.MS_REMOUNT | MountFlags.MS_RDONLY | kept, null);
            }
        }
        Path devNull = root.resolve("dev/null");
        String nullSource = Files.exists(devNull, LinkOption.NOFOLLOW_LINKS) ? devNull.toString() : "/dev/null";
        for (String p : masked == null ? List.<String>of() : masked) {
            Path target = find(inRoot, p);
            if (target == null) {
                continue;
            }
            // exercise:begin ch16-mask-path "a directory (Files.isDirectory, NOFOLLOW_LINKS) gets an empty tmpfs mounted read-only (MS_RDONLY, data size=0,mode=755); a file gets nullSource bind-mounted (MS_BIND) over it"
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Syscalls.mount("tmpfs", target.toString(), "tmpfs", MountFlags.MS_RDONLY, "size=0,mode=755");
            } else {
                Syscalls.mount(nullSource, target.toString(), null, MountFlags.MS_BIND, null);
            }
            // exercise:end ch16-mask-path
        }
    }
    // end::mask[]

    private static Path find(InRoot inRoot, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("masked and read-only paths must be absolute: " + path);
        }
        try {
            Path p = inRoot.existing(path);
            return p == null || p.equals(inRoot.root()) ? null : p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path + " in the container's root: " + e.getMessage(), e);
        }
    }
}
