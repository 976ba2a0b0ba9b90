package dev.minidocker.lab;

import java.nio.file.Path;

/**
 * What the guest boots.
 *
 * @param kernel    the uncompressed vmlinux (started through its PVH entry) where it could be
 *                  unpacked, else the bzImage itself
 * @param initramfs the cached initramfs built for this kernel
 */
public record LabImage(String kernelRelease, Path kernel, Path initramfs) {
}
