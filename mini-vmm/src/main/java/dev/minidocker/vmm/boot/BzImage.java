package dev.minidocker.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import dev.minidocker.vmm.kvm.VmmException;

/**
 * A Linux kernel image as the boot protocol (Documentation/arch/x86/boot.rst) describes it: a
 * boot sector and real-mode setup code ({@code setup_sects} sectors of 512 bytes), then the
 * protected-mode kernel (a decompressor carrying the real kernel). The setup header, at 0x1f1
 * in the file, tells the boot loader what the kernel needs; the loader copies it into the zero
 * page and fills in its own fields. The one parser of that header: mini-lab uses it too, to
 * find the compressed vmlinux ({@link #payload()}) it unpacks for qemu.
 */
public final class BzImage {
    /** "HdrS" at 0x202: this image has a setup header. */
    public static final int HEADER_MAGIC = 0x53726448;
    public static final int BOOT_FLAG = 0xaa55;
    /** 2.12 (Linux 3.8) added xloadflags, which says whether the 64-bit entry point exists. */
    public static final int MIN_PROTOCOL = 0x20c;
    /** The 64-bit entry point, this far into the protected-mode kernel. */
    public static final int ENTRY_64_OFFSET = 0x200;
    public static final int XLF_KERNEL_64 = 0x1;

    private final byte[] image;
    private final ByteBuffer b;

    private BzImage(byte[] image) {
        this.image = image;
        this.b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    // tag::parse[]
    /** Checks the setup header; {@code name} is for the one-line errors. */
    public static BzImage parse(byte[] image, String name) {
        // exercise:begin ch11-check-header "refuse images shorter than the header, without boot flag 0xaa55 at 0x1fe or \"HdrS\" at 0x202, with a protocol below 2.12 or without XLF_KERNEL_64"
        if (image.length < 0x268) {
            throw new VmmException(name + " is not a Linux kernel (bzImage): only " + image.length + " bytes");
        }
        BzImage k = new BzImage(image);
        if (k.u16(BootParams.BOOT_FLAG) != BOOT_FLAG || k.u32(BootParams.HEADER) != HEADER_MAGIC) {
            throw new VmmException(name + " is not a Linux kernel (bzImage): no boot flag 0xaa55 and \"HdrS\" "
                    + "in its setup header (a vmlinux ELF or compressed file? use the vmlinuz from /boot)");
        }
        if (k.protocol() < MIN_PROTOCOL) {
            throw new VmmException(String.format("%s uses boot protocol %d.%02d: mini-vmm needs 2.12 or newer (Linux 3.8+)",
                    name, k.protocol() >> 8, k.protocol() & 0xff));
        }
        if ((k.xloadflags() & XLF_KERNEL_64) == 0) {
            throw new VmmException(name + " has no 64-bit entry point (xloadflags without XLF_KERNEL_64): "
                    + "mini-vmm boots x86-64 kernels");
        }
        if (k.protectedModeOffset() >= image.length) {
            throw new VmmException(name + " is truncated: its setup code claims " + k.setupSects() + " sectors");
        }
        return k;
        // exercise:end ch11-check-header
    }
    // end::parse[]

    /** Sectors of real-mode setup code after the boot sector (0 means 4, for ancient images). */
    public int setupSects() {
        int n = u8(BootParams.SETUP_SECTS);
        return n == 0 ? 4 : n;
    }

    /** Where the protected-mode kernel starts in the file: after the boot sector and the setup. */
    public int protectedModeOffset() {
        return (setupSects() + 1) * 512;
    }

    public int protectedModeSize() {
        return image.length - protectedModeOffset();
    }

    /** The protected-mode kernel: what goes at 1 MiB. */
    public byte[] protectedModeKernel() {
        byte[] pm = new byte[protectedModeSize()];
        System.arraycopy(image, protectedModeOffset(), pm, 0, pm.length);
        return pm;
    }

    /**
     * The compressed kernel (vmlinux, gzip/xz/zstd...) inside the protected-mode part: what the
     * decompressor unpacks; payload_offset and payload_length (protocol 2.08+) say where.
     */
    public byte[] payload() {
        long start = protectedModeOffset() + u32(BootParams.PAYLOAD_OFFSET);
        long length = u32(BootParams.PAYLOAD_LENGTH);
        if (start + length > image.length) {
            throw new VmmException(String.format("the payload (0x%x bytes at 0x%x) runs past the end of the image (0x%x bytes)",
                    length, start, image.length));
        }
        return Arrays.copyOfRange(image, (int) start, (int) (start + length));
    }

    /** Boot protocol version, e.g. 0x20f for 2.15. */
    public int protocol() {
        return u16(BootParams.VERSION);
    }

    public String protocolText() {
        return String.format("%d.%02d", protocol() >> 8, protocol() & 0xff);
    }

    public int loadflags() {
        return u8(BootParams.LOADFLAGS);
    }

    public int xloadflags() {
        return u16(BootParams.XLOADFLAGS);
    }

    /** The highest address the initrd may end at (inclusive). */
    public long initrdAddrMax() {
        return u32(BootParams.INITRD_ADDR_MAX);
    }

    /** The longest command line the kernel accepts, without the terminating NUL. */
    public long cmdlineSize() {
        return u32(BootParams.CMDLINE_SIZE);
    }

    public boolean relocatable() {
        return u8(BootParams.RELOCATABLE_KERNEL) != 0;
    }

    public long kernelAlignment() {
        return u32(BootParams.KERNEL_ALIGNMENT);
    }

    /** Where the kernel prefers to run (it moves itself there when relocatable), e.g. 16 MiB. */
    public long prefAddress() {
        return b.getLong(BootParams.PREF_ADDRESS);
    }

    /** Memory the kernel needs from where it runs, while decompressing and initialising. */
    public long initSize() {
        return u32(BootParams.INIT_SIZE);
    }

    /** The kernel's version string, pointed to by kernel_version (0x20e), e.g. "6.1.0-56-amd64 (...)". */
    public String version() {
        int ptr = u16(BootParams.KERNEL_VERSION);
        int at = ptr + 0x200;
        if (ptr == 0 || at >= image.length) {
            return "unknown";
        }
        int end = at;
        while (end < image.length && image[end] != 0 && end - at < 200) {
            end++;
        }
        return new String(image, at, end - at, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The setup header bytes as the file has them: from 0x1f1 to its end (0x202 + the byte at 0x201). */
    public byte[] setupHeader() {
        int end = 0x202 + u8(0x201);
        byte[] h = new byte[end - BootParams.SETUP_HEADER];
        System.arraycopy(image, BootParams.SETUP_HEADER, h, 0, h.length);
        return h;
    }

    int u8(int offset) {
        return Byte.toUnsignedInt(image[offset]);
    }

    int u16(int offset) {
        return Short.toUnsignedInt(b.getShort(offset));
    }

    long u32(int offset) {
        return Integer.toUnsignedLong(b.getInt(offset));
    }
}
