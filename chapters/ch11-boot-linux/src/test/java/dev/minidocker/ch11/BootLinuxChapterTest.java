package dev.minidocker.ch11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.minidocker.vmm.boot.BzImage;
import dev.minidocker.vmm.kvm.VmmException;

/** The chapter's claim: the loader's placement follows the header's numbers, and nothing overlaps. */
class BootLinuxChapterTest {
    /** A setup header as a 6.1 kernel has it: protocol 2.15, 16 MiB preferred, 40 MiB init_size. */
    static BzImage kernel() {
        byte[] image = new byte[1024 + 8192];
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        image[0x1f1] = 1;
        b.putShort(0x1fe, (short) 0xaa55);
        image[0x201] = 0x66;
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x20f);
        b.putInt(0x22c, 0x7fffffff);
        image[0x234] = 1;
        b.putShort(0x236, (short) 1);
        b.putInt(0x238, 2047);
        b.putLong(0x258, 0x1000000);
        b.putInt(0x260, 40 << 20);
        return BzImage.parse(image, "test");
    }

    @Test
    void initrdLandsAtTheTopAboveTheKernelsArea() {
        Main.Plan p = Main.plan(kernel(), Main.MEMORY, 1 << 20, "console=ttyS0");
        assertEquals(0x1000000L + (40 << 20), p.kernelEnd());
        assertEquals(Main.MEMORY - (1 << 20), p.initrd());
    }

    @Test
    void theMemoryMapGoesUpwards() {
        List<String> map = Main.memoryMap(Main.plan(kernel(), Main.MEMORY, 1 << 20, "console=ttyS0"), Main.MEMORY);
        long previous = -1;
        for (String line : map) {
            long address = Long.decode(line.substring(0, line.indexOf(' ')));
            assertTrue(address > previous, line);
            previous = address;
        }
    }

    @Test
    void aGuestTooSmallForKernelAndInitrdIsRefused() {
        assertTrue(assertThrows(VmmException.class, () -> Main.plan(kernel(), 60L << 20, 8 << 20, "x")).getMessage()
                .contains("give --mem more"));
    }
}
