package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.MS_BIND;
import static dev.minidocker.sys.MountFlags.MS_REC;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.sys.Syscalls;

/**
 * The container's root directory. With image layers it is an overlay (the kernel's
 * Documentation/filesystems/overlayfs.rst): the layers are read-only "lower" directories and
 * the container writes into its own "upper" directory, so the image never changes and no
 * layer is copied. Without layers, a plain directory is bind-mounted onto itself, because
 * pivot_root(2) needs the new root to be a mount point.
 */
public final class RootFilesystem {
    private RootFilesystem() {
    }

    // tag::overlay[]
    /** Mounts an overlay of layers (lowest first) with upper and work directories at target. */
    public static void mountOverlay(List<Path> layers, Path upper, Path work, Path target) {
        Syscalls.mount("overlay", target.toString(), "overlay", 0, overlayOptions(layers, upper, work));
    }

    /** overlay's lowerdir lists the top layer first, so the image's order is reversed. */
    public static String overlayOptions(List<Path> layers, Path upper, Path work) {
        List<String> lower = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            lower.add(escape(layers.get(i).toString()));
        }
        return "lowerdir=" + String.join(":", lower)
                + ",upperdir=" + escape(upper.toString())
                + ",workdir=" + escape(work.toString());
    }
    // end::overlay[]

    /**
     * Whether overlay roots can be used: the kernel knows overlayfs, or its module is loaded.
     * {@code MINI_ROOTFS=copy} turns them off, to show and test the flattened-copy fallback.
     */
    public static boolean overlayAvailable() {
        if ("copy".equals(System.getenv("MINI_ROOTFS"))) {
            return false;
        }
        try {
            return java.nio.file.Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n")
                    || java.nio.file.Files.exists(Path.of("/sys/module/overlay"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Makes a directory a mount point by bind-mounting it onto itself. */
    public static void bindOntoItself(Path dir) {
        Syscalls.mount(dir.toString(), dir.toString(), null, MS_BIND | MS_REC, null);
    }

    /** ':' and ',' separate overlay options; the kernel accepts them escaped with '\'. */
    private static String escape(String path) {
        return path.replace("\\", "\\\\").replace(":", "\\:").replace(",", "\\,");
    }
}
