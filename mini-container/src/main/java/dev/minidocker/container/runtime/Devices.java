package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.image.InRoot;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Syscalls;

/** linux.devices: device nodes an engine asks for beyond the defaults (e.g. docker run --device). */
final class Devices {
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    private Devices() {
    }

    static void create(Path root, List<ContainerSpec.Device> devices) {
        if (devices == null) {
            return;
        }
        for (ContainerSpec.Device d : devices) {
            int type = switch (d.type()) {
                case "c", "u" -> S_IFCHR;
                case "b" -> S_IFBLK;
                case "p" -> S_IFIFO;
                default -> throw new IllegalStateException("device " + d.path() + ": unknown type \"" + d.type() + "\" (use c, b, u or p)");
            };
            if (Files.isSymbolicLink(root.resolve(d.path().replaceFirst("^/+", "")))) {
                // /dev/ptmx is the link to the container's own devpts multiplexer (docker --privileged lists the host's)
                continue;
            }
            Path node = InRoot.securePath(root, d.path());
            try {
                Files.deleteIfExists(node);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replace " + node + ": " + e.getMessage(), e);
            }
            int mode = d.fileMode() == null ? 0666 : d.fileMode();
            try {
                Syscalls.mknod(node.toString(), type | (mode & 07777), Syscalls.makedev((int) d.major(), (int) d.minor()));
            } catch (dev.minidocker.sys.SyscallException e) {
                if (e.errno() != dev.minidocker.sys.Errno.EPERM || type == S_IFIFO) {
                    throw e;
                }
                dev.minidocker.container.fs.DevFs.bindHostNode(d.path(), node); // in a user namespace: the host's node
                continue;
            }
            if (d.uid() != null || d.gid() != null) {
                Identity.chown(node, d.uid() == null ? -1 : d.uid(), d.gid() == null ? -1 : d.gid());
            }
        }
    }
}
