package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.MS_NODEV;
import static dev.minidocker.sys.MountFlags.MS_NOEXEC;
import static dev.minidocker.sys.MountFlags.MS_NOSUID;
import static dev.minidocker.sys.MountFlags.MS_RDONLY;

import java.nio.file.Path;

import dev.minidocker.sys.Syscalls;

/** The kernel's own filesystems a container needs: /proc and a read-only /sys. */
public final class KernelFilesystems {
    private KernelFilesystems() {
    }

    // tag::proc[]
    /**
     * A proc filesystem shows the PID namespace of the process that mounts it (proc(5)).
     * That is why the init stage, already PID 1 inside the new namespace, mounts it.
     */
    public static void mountProc(Path root) {
        // exercise:begin ch03-mount-proc "mount(2) source 'proc', type 'proc' at root/proc, flags MS_NOSUID | MS_NODEV | MS_NOEXEC"
        Syscalls.mount("proc", root.resolve("proc").toString(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        // exercise:end ch03-mount-proc
    }
    // end::proc[]

    /** sysfs, read-only: the container may look at devices but not reconfigure them. */
    public static void mountSys(Path root) {
        Syscalls.mount("sysfs", root.resolve("sys").toString(), "sysfs",
                MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
    }
}
