package dev.minidocker.container.runtime;

import java.nio.file.Path;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;

/**
 * Ownership of what the runtime creates for the container (device nodes of linux.devices). The
 * process's own user and groups are ProcessSecurity's, applied just before execve.
 */
final class Identity {
    private Identity() {
    }

    static void chown(Path p, long uid, long gid) {
        Syscalls.check("lchown", Native.libc().lchown(p.toString(), (int) uid, (int) gid), p.toString());
    }
}
