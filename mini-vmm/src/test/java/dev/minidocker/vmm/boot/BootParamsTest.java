package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class BootParamsTest {
    /** The offsets of Documentation/arch/x86/boot.rst and zero-page.rst. */
    @Test
    void offsetsAreTheBootProtocols() {
        assertEquals(0x1f1, BootParams.SETUP_HEADER);
        assertEquals(0x1e8, BootParams.E820_ENTRIES);
        assertEquals(0x2d0, BootParams.E820_TABLE);
        assertEquals(0x210, BootParams.TYPE_OF_LOADER);
        assertEquals(0x211, BootParams.LOADFLAGS);
        assertEquals(0x218, BootParams.RAMDISK_IMAGE);
        assertEquals(0x21c, BootParams.RAMDISK_SIZE);
        assertEquals(0x228, BootParams.CMD_LINE_PTR);
        assertEquals(0x22c, BootParams.INITRD_ADDR_MAX);
        assertEquals(0x238, BootParams.CMDLINE_SIZE);
        assertEquals(0x258, BootParams.PREF_ADDRESS);
        assertEquals(0x260, BootParams.INIT_SIZE);
        assertEquals(0x0c0, BootParams.EXT_RAMDISK_IMAGE);
        assertEquals(0x0c8, BootParams.EXT_CMD_LINE_PTR);
        assertEquals(128 * 20, 0x1000 - 0x2d0 - (0x1000 - 0xcd0), "128 e820 entries of 20 bytes end at 0xcd0");
    }

    @Test
    void zeroPageCarriesTheHeaderAndTheLoadersFields() {
        BzImage k = BzImage.parse(TestKernels.synthetic(4096), "test");
        byte[] page = BootParams.build(k, new BootParams.Placement(0x20000, 0x0ff00000L, 0x12345, E820.forMemory(256L << 20)));
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4096, page.length);
        assertEquals(0x53726448, b.getInt(0x202), "setup header copied: HdrS");
        assertEquals(0x20f, b.getShort(0x206), "protocol copied");
        assertEquals(0x7fffffff, b.getInt(0x22c), "initrd_addr_max copied");
        assertEquals(0xff, page[0x210] & 0xff, "type_of_loader: undefined");
        assertEquals(0x81, page[0x211] & 0xff, "loadflags: LOADED_HIGH | CAN_USE_HEAP");
        assertEquals(0x20000, b.getInt(0x228), "cmd_line_ptr");
        assertEquals(0x0ff00000, b.getInt(0x218), "ramdisk_image");
        assertEquals(0x12345, b.getInt(0x21c), "ramdisk_size");
        assertEquals(0, b.getInt(0x0c0), "ext_ramdisk_image: below 4 GiB");
        assertEquals(0xffff, b.getShort(0x1fa) & 0xffff, "vid_mode: normal");
        assertEquals(0xe000 - 0x200, b.getShort(0x224) & 0xffff, "heap_end_ptr");
        assertEquals(3, page[0x1e8], "e820_entries");
        assertEquals(0x100000L, b.getLong(0x2d0 + 2 * 20), "third e820 entry starts at 1 MiB");
        assertEquals((256L << 20) - 0x100000, b.getLong(0x2d0 + 2 * 20 + 8));
        assertEquals(E820.RAM, b.getInt(0x2d0 + 2 * 20 + 16));
        assertEquals(0, page[0x2d0 + 3 * 20], "nothing after the last entry");
    }
}
