package dev.minidocker.lab;

import java.nio.file.Path;

/** What the guest boots: a kernel image and the cached initramfs built for it. */
public record LabImage(String kernelRelease, Path vmlinuz, Path initramfs) {
}
