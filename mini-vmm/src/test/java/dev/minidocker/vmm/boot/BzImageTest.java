package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.minidocker.vmm.kvm.VmmException;

class BzImageTest {
    @Test
    void readsTheSetupHeaderFields() {
        BzImage k = BzImage.parse(TestKernels.synthetic(4096), "test");
        assertEquals(1, k.setupSects());
        assertEquals(1024, k.protectedModeOffset());
        assertEquals(4096, k.protectedModeSize());
        assertEquals("2.15", k.protocolText());
        assertEquals(0x7fffffffL, k.initrdAddrMax());
        assertEquals(2047, k.cmdlineSize());
        assertEquals(0x1000000L, k.prefAddress());
        assertEquals(0x2000000L, k.initSize());
        assertTrue(k.relocatable());
        assertEquals("6.99.0-test (builder@host) #1", k.version());
        assertEquals(0x268 - 0x1f1, k.setupHeader().length, "setup header: 0x1f1 up to 0x202 + byte at 0x201");
    }

    @Test
    void thePayloadIsFoundThroughTheSetupHeader() {
        byte[] image = TestKernels.synthetic(4096);
        byte[] payload = {0x1f, (byte) 0x8b, 1, 2, 3, 4};
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(BootParams.PAYLOAD_OFFSET, 0x40);     // counted from the protected-mode kernel, at 1024
        b.putInt(BootParams.PAYLOAD_LENGTH, payload.length);
        System.arraycopy(payload, 0, image, 1024 + 0x40, payload.length);
        assertArrayEquals(payload, BzImage.parse(image, "test").payload());

        b.putInt(BootParams.PAYLOAD_LENGTH, 4096);
        assertTrue(assertThrows(VmmException.class, () -> BzImage.parse(image, "test").payload()).getMessage()
                .contains("runs past the end of the image"));
    }

    @Test
    void zeroSetupSectsMeansFour() {
        byte[] image = TestKernels.synthetic(8192);
        image[0x1f1] = 0;
        assertEquals(5 * 512, BzImage.parse(image, "old").protectedModeOffset());
    }

    @Test
    void refusesWhatIsNotABzImage() {
        assertEquals("short is not a Linux kernel (bzImage): only 100 bytes",
                assertThrows(VmmException.class, () -> BzImage.parse(new byte[100], "short")).getMessage());
        byte[] elf = TestKernels.synthetic(4096);
        elf[0x202] = 'X';
        assertTrue(assertThrows(VmmException.class, () -> BzImage.parse(elf, "vmlinux")).getMessage()
                .startsWith("vmlinux is not a Linux kernel (bzImage): no boot flag 0xaa55 and \"HdrS\""));
    }

    @Test
    void refusesTooOldAProtocolAndKernelsWithout64BitEntry() {
        byte[] old = TestKernels.synthetic(4096);
        old[0x206] = 0x0b;   // 2.11
        assertEquals("old uses boot protocol 2.11: mini-vmm needs 2.12 or newer (Linux 3.8+)",
                assertThrows(VmmException.class, () -> BzImage.parse(old, "old")).getMessage());
        byte[] i386 = TestKernels.synthetic(4096);
        i386[0x236] = 0;
        assertTrue(assertThrows(VmmException.class, () -> BzImage.parse(i386, "i386")).getMessage()
                .contains("no 64-bit entry point"));
    }

    @Test
    void refusesATruncatedImage() {
        byte[] image = TestKernels.synthetic(0);
        image[0x1f1] = 30;
        assertTrue(assertThrows(VmmException.class, () -> BzImage.parse(image, "cut")).getMessage()
                .startsWith("cut is truncated"));
    }

    @Test
    void parsesARealKernel() throws Exception {
        Optional<Path> real = TestKernels.real();
        Assumptions.assumeTrue(real.isPresent(), "no kernel in /boot or the lab cache (./mini lab prepare makes one)");
        BzImage k = BzImage.parse(Files.readAllBytes(real.get()), real.get().toString());
        assertTrue(k.protocol() >= 0x20c, k.protocolText());
        assertTrue(k.relocatable());
        assertTrue(k.initSize() > k.protectedModeSize(), "the kernel needs more room than its compressed image");
        assertTrue(k.version().matches("\\d+\\.\\d+.*"), k.version());
        assertEquals(0x53726448, java.nio.ByteBuffer.wrap(k.setupHeader()).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt(BootParams.HEADER - BootParams.SETUP_HEADER));
    }
}
