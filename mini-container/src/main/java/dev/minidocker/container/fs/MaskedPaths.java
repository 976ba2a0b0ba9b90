package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.MS_BIND;
import static dev.minidocker.sys.MountFlags.MS_RDONLY;
import static dev.minidocker.sys.MountFlags.MS_REC;
import static dev.minidocker.sys.MountFlags.MS_REMOUNT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.sys.Syscalls;

/**
 * linux.maskedPaths and linux.readonlyPaths: files of /proc and /sys that a container must not
 * read (covered with /dev/null, or an empty read-only tmpfs for a directory) or must not write
 * (bind-mounted onto themselves, then remounted read-only). Done after /proc and /sys are
 * mounted and before pivot_root; a path the kernel does not have is skipped.
 */
public final class MaskedPaths {
    private MaskedPaths() {
    }

    // tag::mask[]
    public static void apply(Path root, List<String> masked, List<String> readonly) {
        for (String p : readonly == null ? List.<String>of() : readonly) {
            Path target = root.resolve(p.replaceFirst("^/+", ""));
            if (Files.exists(target)) {
                Syscalls.mount(target.toString(), target.toString(), null, MS_BIND | MS_REC, null);
                Syscalls.mount(null, target.toString(), null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, null);
            }
        }
        for (String p : masked == null ? List.<String>of() : masked) {
            Path target = root.resolve(p.replaceFirst("^/+", ""));
            if (Files.isDirectory(target)) {
                Syscalls.mount("tmpfs", target.toString(), "tmpfs", MS_RDONLY, "size=0");
            } else if (Files.exists(target)) {
                Syscalls.mount("/dev/null", target.toString(), null, MS_BIND, null);
            }
        }
    }
    // end::mask[]
}
