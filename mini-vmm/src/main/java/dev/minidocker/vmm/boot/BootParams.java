package dev.minidocker.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * {@code struct boot_params}, the "zero page": one 4 KiB page in which the boot loader hands the
 * kernel everything it knows. Its second half starts with the setup header copied from the
 * bzImage; the loader then fills in where it put the command line and the initrd, the memory
 * map, and who it is. Offsets are those of Documentation/arch/x86/zero-page.rst and boot.rst.
 */
public final class BootParams {
    public static final int SIZE = 4096;

    // the zero page's own fields
    public static final int EXT_RAMDISK_IMAGE = 0x0c0;   // high 32 bits of ramdisk_image
    public static final int EXT_RAMDISK_SIZE = 0x0c4;
    public static final int EXT_CMD_LINE_PTR = 0x0c8;
    public static final int E820_ENTRIES = 0x1e8;        // u8
    public static final int E820_TABLE = 0x2d0;          // 128 entries of 20 bytes

    // the setup header, at the same offsets in the bzImage file and in the zero page
    public static final int SETUP_HEADER = 0x1f1;
    public static final int SETUP_SECTS = 0x1f1;         // u8
    public static final int VID_MODE = 0x1fa;            // u16
    public static final int BOOT_FLAG = 0x1fe;           // u16 0xaa55
    public static final int HEADER = 0x202;              // u32 "HdrS"
    public static final int VERSION = 0x206;             // u16
    public static final int KERNEL_VERSION = 0x20e;      // u16, pointer - 0x200
    public static final int TYPE_OF_LOADER = 0x210;      // u8
    public static final int LOADFLAGS = 0x211;           // u8
    public static final int CODE32_START = 0x214;        // u32
    public static final int RAMDISK_IMAGE = 0x218;       // u32
    public static final int RAMDISK_SIZE = 0x21c;        // u32
    public static final int HEAP_END_PTR = 0x224;        // u16
    public static final int CMD_LINE_PTR = 0x228;        // u32
    public static final int INITRD_ADDR_MAX = 0x22c;     // u32
    public static final int KERNEL_ALIGNMENT = 0x230;    // u32
    public static final int RELOCATABLE_KERNEL = 0x234;  // u8
    public static final int XLOADFLAGS = 0x236;          // u16
    public static final int CMDLINE_SIZE = 0x238;        // u32
    public static final int PAYLOAD_OFFSET = 0x248;      // u32, from the protected-mode kernel's start
    public static final int PAYLOAD_LENGTH = 0x24c;      // u32
    public static final int PREF_ADDRESS = 0x258;        // u64
    public static final int INIT_SIZE = 0x260;           // u32

    /** "Undefined" loader: mini-vmm has no ID registered in boot.rst. */
    public static final int LOADER_UNDEFINED = 0xff;
    public static final int LOADED_HIGH = 0x01;          // the protected-mode kernel is at 1 MiB
    public static final int CAN_USE_HEAP = 0x80;         // heap_end_ptr is valid
    public static final int VID_MODE_NORMAL = 0xffff;
    /** heap_end_ptr: the end of the setup code's heap, relative to the real-mode code (0xe000 - 0x200). */
    public static final int HEAP_END = 0xe000 - 0x200;

    private BootParams() {
    }

    /** Where the loader put things, as the zero page records them. */
    public record Placement(long cmdLine, long ramdiskImage, long ramdiskSize, List<E820.Entry> e820) {
    }

    // tag::zero-page[]
    /** Builds the zero page for {@code kernel} with the loader's fields filled in. */
    public static byte[] build(BzImage kernel, Placement at) {
        byte[] page = new byte[SIZE];
        byte[] header = kernel.setupHeader();
        System.arraycopy(header, 0, page, SETUP_HEADER, header.length);
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        // exercise:begin ch11-setup-header "fill vid_mode (normal), type_of_loader (0xff), loadflags (|= LOADED_HIGH, CAN_USE_HEAP), heap_end_ptr, cmd_line_ptr, ramdisk_image/size (and their ext_ high halves), e820_entries and e820_table"
        b.putShort(VID_MODE, (short) VID_MODE_NORMAL);
        page[TYPE_OF_LOADER] = (byte) LOADER_UNDEFINED;
        page[LOADFLAGS] = (byte) (kernel.loadflags() | LOADED_HIGH | CAN_USE_HEAP);
        b.putShort(HEAP_END_PTR, (short) HEAP_END);
        b.putInt(CMD_LINE_PTR, (int) at.cmdLine());
        b.putInt(EXT_CMD_LINE_PTR, (int) (at.cmdLine() >>> 32));
        b.putInt(RAMDISK_IMAGE, (int) at.ramdiskImage());
        b.putInt(EXT_RAMDISK_IMAGE, (int) (at.ramdiskImage() >>> 32));
        b.putInt(RAMDISK_SIZE, (int) at.ramdiskSize());
        b.putInt(EXT_RAMDISK_SIZE, (int) (at.ramdiskSize() >>> 32));
        byte[] e820 = E820.encode(at.e820());
        page[E820_ENTRIES] = (byte) at.e820().size();
        System.arraycopy(e820, 0, page, E820_TABLE, e820.length);
        return page;
        // exercise:end ch11-setup-header
    }
    // end::zero-page[]
}
