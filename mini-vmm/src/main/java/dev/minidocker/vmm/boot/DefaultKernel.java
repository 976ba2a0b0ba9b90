package dev.minidocker.vmm.boot;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import dev.minidocker.vmm.kvm.VmmException;

/**
 * The kernel {@code mini vm boot} starts when given none: the host's own from /boot when it is
 * readable (the running one first), otherwise one from a {@link KernelSource} on the class path:
 * with mini-lab there (as in {@code ./mini}), Debian's, fetched and cached once by the lab.
 */
public final class DefaultKernel {
    private DefaultKernel() {
    }

    /** Prints the kernel's path, for scripts that boot the same kernel with another VMM (bench/vm-isolation.sh). */
    public static void main(String[] args) {
        System.out.println(find(System.err));
    }

    public static Path find(PrintStream progress) {
        return fromBoot(Path.of("/boot")).orElseGet(() -> fromSource(progress));
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
        return found.stream().max((a, b) -> byVersion(a.getFileName().toString(), b.getFileName().toString()));
    }

    /** Release order, numbers as numbers: vmlinuz-6.1.0-10 is newer than vmlinuz-6.1.0-9. */
    static int byVersion(String a, String b) {
        String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean numbers = Character.isDigit(x[i].charAt(0)) && Character.isDigit(y[i].charAt(0));
            int c = numbers ? new BigInteger(x[i]).compareTo(new BigInteger(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** The first kernel source on the class path (mini-lab's), or a one-line error saying what to do. */
    static Path fromSource(PrintStream progress) {
        return ServiceLoader.load(KernelSource.class).findFirst().map(source -> source.bzImage(progress))
                .orElseThrow(() -> new VmmException("no readable kernel in /boot (vmlinuz-*): pass --kernel BZIMAGE, "
                + "or run through ./mini, whose lab fetches Debian's kernel"));
    }
}
