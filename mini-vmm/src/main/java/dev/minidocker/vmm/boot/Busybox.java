package dev.minidocker.vmm.boot;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.minidocker.vmm.kvm.VmmException;

/**
 * The host's static busybox: every tool an initramfs needs, as one binary. It must be linked
 * statically, for an initramfs has no libc. Used by {@code mini vm boot}'s default initramfs and
 * by the lab guest's.
 */
public final class Busybox {
    /** ELF program header type of the dynamic loader's path: only dynamically linked programs have it. */
    static final int PT_INTERP = 3;

    private Busybox() {
    }

    /** The static busybox on PATH (or in /usr/bin, /bin, /usr/sbin, /sbin), its links resolved. */
    public static Path find() {
        Path busybox = onPath(System.getenv().getOrDefault("PATH", "")).orElseThrow(() -> new VmmException(
                "busybox not found; install it with: apt-get install busybox-static"));
        try {
            busybox = busybox.toRealPath();
            if (!isStatic(busybox)) {
                throw new VmmException(busybox + " is linked dynamically; install it with: apt-get install busybox-static");
            }
        } catch (IOException e) {
            throw new VmmException("cannot read " + busybox + ": " + e.getMessage(), e);
        }
        return busybox;
    }

    static Optional<Path> onPath(String path) {
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "busybox");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A static ELF executable has no PT_INTERP program header (no dynamic loader to run it). */
    static boolean isStatic(Path elf) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(elf)) {
            head = in.readNBytes(64 * 1024);
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head.length < 64 || b.getInt(0) != 0x464c457f || head[4] != 2) {
            return false;
        }
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long header = phoff + (long) i * phentsize;
            if (header + 4 > head.length) {
                return false;
            }
            if (b.getInt((int) header) == PT_INTERP) {
                return false;
            }
        }
        return true;
    }
}
