package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import dev.minidocker.vmm.boot.KernelSource;

class LabKernelSourceTest {
    @Test
    void theVmmFindsTheLabsKernelSourceOnTheClassPath() {
        assertInstanceOf(LabKernelSource.class, ServiceLoader.load(KernelSource.class).findFirst().orElseThrow());
    }

    @Test
    void theVmmGetsTheBzImageBesideTheUnpackedVmlinux() {
        Path dir = Path.of("/cache/6.1.0-57-amd64");
        assertEquals(dir.resolve("vmlinuz"),
                LabKernelSource.bzImageOf(new LabImage("6.1.0-57-amd64", dir.resolve("vmlinux"), dir.resolve("initramfs-x.cpio.gz"))));
        assertEquals(Path.of("/boot/vmlinuz-6.1.0-57-amd64"), LabKernelSource.bzImageOf(
                new LabImage("6.1.0-57-amd64", Path.of("/boot/vmlinuz-6.1.0-57-amd64"), dir.resolve("initramfs-x.cpio.gz"))));
    }
}
