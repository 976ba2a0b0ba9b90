package dev.minidocker.vmm.boot;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Somewhere else a kernel for {@code mini vm boot} can come from when /boot has none: mini-lab
 * offers Debian's, fetched and cached once. Found with {@link java.util.ServiceLoader} (the lab
 * names its class in META-INF/services), so the VMM needs no lab classes and runs without them.
 */
public interface KernelSource {
    /** A bzImage, prepared first if needed (with progress lines); a VmmException says why not. */
    Path bzImage(PrintStream progress);
}
