package dev.minidocker.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Kernel images for the tests: hand-made headers, and a real kernel when this machine has one. */
final class TestKernels {
    private TestKernels() {
    }

    /**
     * A minimal image with a protocol-2.15 setup header: one setup sector, then {@code payload}
     * bytes of "protected-mode kernel".
     */
    static byte[] synthetic(int payload) {
        byte[] image = new byte[2 * 512 + payload];
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        image[0x1f1] = 1;                       // setup_sects
        b.putShort(0x1fe, (short) 0xaa55);      // boot_flag
        image[0x201] = 0x66;                    // the header ends at 0x202 + 0x66 = 0x268
        b.putInt(0x202, 0x53726448);            // "HdrS"
        b.putShort(0x206, (short) 0x20f);       // protocol 2.15
        b.putShort(0x20e, (short) (0x300 - 0x200));  // kernel_version string at 0x300
        byte[] version = "6.99.0-test (builder@host) #1\0".getBytes();
        System.arraycopy(version, 0, image, 0x300, version.length);
        image[0x211] = 0x01;                    // loadflags: LOADED_HIGH
        b.putInt(0x22c, 0x7fffffff);            // initrd_addr_max
        b.putInt(0x230, 0x200000);              // kernel_alignment
        image[0x234] = 1;                       // relocatable
        b.putShort(0x236, (short) 0x3);         // xloadflags: KERNEL_64, CAN_BE_LOADED_ABOVE_4G
        b.putInt(0x238, 2047);                  // cmdline_size
        b.putLong(0x258, 0x1000000);            // pref_address 16 MiB
        b.putInt(0x260, 0x2000000);             // init_size 32 MiB
        return image;
    }

    /** A real bzImage: the host's /boot, else the one the lab cached in this checkout. */
    static Optional<Path> real() {
        Optional<Path> boot = DefaultKernel.fromBoot(Path.of("/boot"));
        if (boot.isPresent()) {
            return boot;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path lab = dir.resolve(".mini/lab");
            if (Files.isDirectory(lab)) {
                try (DirectoryStream<Path> releases = Files.newDirectoryStream(lab)) {
                    for (Path release : releases) {
                        Path vmlinuz = release.resolve("vmlinuz");
                        if (Files.isRegularFile(vmlinuz)) {
                            return Optional.of(vmlinuz);
                        }
                    }
                } catch (java.io.IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
