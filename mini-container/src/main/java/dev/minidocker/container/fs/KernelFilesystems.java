package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.MS_NODEV;
import static dev.minidocker.sys.MountFlags.MS_NOEXEC;
import static dev.minidocker.sys.MountFlags.MS_NOSUID;

import java.nio.file.Path;

import dev.minidocker.sys.Syscalls;

/** /proc, the kernel's file system a container's init stage must mount itself (config.json lists the rest). */
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
}
