package dev.minidocker.vmm.boot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.minidocker.lab.Lab;
import dev.minidocker.lab.LabImage;

/**
 * The kernel {@code mini vm boot} starts when given none: the host's own from /boot when it is
 * readable (the running one first), otherwise Debian's, fetched and cached once by the lab
 * (mini-lab's LabCache: one copy of that logic).
 */
public final class DefaultKernel {
    private DefaultKernel() {
    }

    public static Path find(PrintStream progress) {
        return fromBoot(Path.of("/boot")).orElseGet(() -> fromLab(progress));
    }

    /** /boot/vmlinuz-RELEASE of the running kernel if readable, else the newest readable vmlinuz-*. */
    static Optional<Path> fromBoot(Path boot) {
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
            Path running = boot.resolve("vmlinuz-" + release);
            if (Files.isReadable(running)) {
                return Optional.of(running);
            }
        } catch (IOException e) {
            // no /proc: look at what /boot has
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> images = Files.newDirectoryStream(boot, "vmlinuz-*")) {
            for (Path p : images) {
                if (Files.isReadable(p) && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return found.stream().max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    }

    /** Debian's kernel as the lab prepares it: the bzImage next to the vmlinux it unpacks for qemu. */
    static Path fromLab(PrintStream progress) {
        LabImage image = Lab.fromEnvironment().prepare(progress);
        Path kernel = image.kernel();
        if (kernel.getFileName().toString().equals("vmlinux")) {
            kernel = kernel.resolveSibling("vmlinuz");
        }
        return kernel;
    }
}
