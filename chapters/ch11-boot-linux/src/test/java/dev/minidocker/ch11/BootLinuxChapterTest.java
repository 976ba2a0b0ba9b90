package dev.minidocker.ch11;

import static dev.minidocker.chapter.Hex.assertBits;
import static dev.minidocker.chapter.Hex.assertHex;
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
        assertHex(0x1000000L + (40 << 20), p.kernelEnd(), "the end of the kernel's area (pref_address + init_size)");
        assertHex(Main.MEMORY - (1 << 20), p.initrd(), "the initrd's address: its size below the top of memory");
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
    void theZeroPageTellsTheKernelWhereEverythingIs() {
        Main.Plan plan = Main.plan(kernel(), Main.MEMORY, 1 << 20, "console=ttyS0");
        byte[] page = Main.zeroPage(kernel(), plan, Main.MEMORY);
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        assertHex(0x53726448, b.getInt(0x202), "the setup header, copied (HdrS at 0x202)");
        assertHex(0xff, page[0x210] & 0xff, "type_of_loader");
        assertBits(0x81, 0x81, page[0x211] & 0xff, "loadflags LOADED_HIGH and CAN_USE_HEAP");
        assertHex(0x20000, b.getInt(0x228), "cmd_line_ptr");
        assertHex(plan.initrd(), b.getInt(0x218), "ramdisk_image");
        assertHex(1 << 20, b.getInt(0x21c), "ramdisk_size");
        assertEquals(3, page[0x1e8], "e820_entries");
        assertHex(0L, b.getLong(0x2d0), "e820[0] starts at 0");
        assertHex(0x9fc00L, b.getLong(0x2d0 + 8), "e820[0]: the 639 KiB below the EBDA");
        assertEquals(1, b.getInt(0x2d0 + 16), "usable");
        assertEquals(2, b.getInt(0x2d0 + 20 + 16), "e820[1] reserved up to 1 MiB");
        assertHex(0x100000L, b.getLong(0x2d0 + 40), "e820[2] starts at 1 MiB");
        assertHex(Main.MEMORY - 0x100000, b.getLong(0x2d0 + 48), "e820[2]: RAM from 1 MiB to the end");
    }

    @Test
    void aGuestTooSmallForKernelAndInitrdIsRefused() {
        assertTrue(assertThrows(VmmException.class, () -> Main.plan(kernel(), 60L << 20, 8 << 20, "x")).getMessage()
                .contains("give --mem more"));
    }
}
