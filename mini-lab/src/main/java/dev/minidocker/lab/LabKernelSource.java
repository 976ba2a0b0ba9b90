package dev.minidocker.lab;

import java.io.PrintStream;
import java.nio.file.Path;

import dev.minidocker.vmm.boot.KernelSource;
import dev.minidocker.vmm.kvm.VmmException;

/**
 * Offers {@code mini vm boot} the kernel the lab boots: Debian's, fetched and cached once
 * ({@link LabCache}). Named in META-INF/services, where mini-vmm's DefaultKernel finds it.
 */
public final class LabKernelSource implements KernelSource {
    @Override
    public Path bzImage(PrintStream progress) {
        try {
            return bzImageOf(Lab.fromEnvironment().prepare(progress));
        } catch (LabException e) {
            throw new VmmException(e.getMessage(), e);
        }
    }

    /** The lab boots the vmlinux it unpacked where it could; the VMM boots the bzImage beside it. */
    static Path bzImageOf(LabImage image) {
        Path kernel = image.kernel();
        return kernel.getFileName().toString().equals("vmlinux") ? kernel.resolveSibling("vmlinuz") : kernel;
    }
}
