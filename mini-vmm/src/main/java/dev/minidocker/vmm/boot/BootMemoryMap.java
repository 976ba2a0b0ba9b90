package dev.minidocker.vmm.boot;

import dev.minidocker.vmm.kvm.VmmException;

/**
 * Where mini-vmm puts things in a Linux guest's physical memory, and the placement rules of the
 * boot protocol for the parts whose size varies (command line, initrd).
 *
 * <pre>
 * // tag::diagram[]
 * guest-physical                                   what                          who reads it
 * 0x0000_0000 +--------------------------------+
 *             | (real-mode interrupt table)    |   unused: we enter in 64-bit mode
 * 0x0000_0500 | GDT: null, null, 0x10 code64,  |   CS = 0x10, DS/ES/SS = 0x18   the CPU
 *             |      0x18 data                 |
 * 0x0000_7000 | zero page (struct boot_params) |   rsi points here              startup_64
 * 0x0000_9000 | PML4                           |   CR3
 * 0x0000_a000 | PDPT                           |
 * 0x0000_b000 | 4 page directories: identity   |   2 MiB pages, 0 .. 4 GiB
 *             | map of the first 4 GiB         |
 * 0x0002_0000 | kernel command line, NUL ended |   cmd_line_ptr
 * 0x0009_fc00 |- - - - - - - - - - - - - - - - |   e820: reserved up to 1 MiB (EBDA, VGA, BIOS)
 * 0x0010_0000 | protected-mode kernel          |   code32_start; rip = 1 MiB + 0x200
 *             | (decompressor + packed vmlinux)|
 * 0x0100_0000 | the kernel unpacks itself here |   pref_address, init_size bytes
 *             | ... free RAM ...               |
 * top-initrd  | initramfs (cpio.gz)            |   ramdisk_image, ramdisk_size
 * memory end  +--------------------------------+   e820: RAM ends
 *             |          (no RAM)              |
 * 0xd000_0000 | PCI hole: MMIO text display    |   (the bundled guests' display)
 * 0xfec0_0000 | I/O APIC       (in-kernel KVM) |
 * 0xfee0_0000 | local APIC     (in-kernel KVM) |
 * 0xfffb_c000 | identity page + TSS for VMX    |   KVM_SET_IDENTITY_MAP_ADDR / KVM_SET_TSS_ADDR
 * 0x1_0000_0000 (4 GiB)
 * // end::diagram[]
 * </pre>
 */
public final class BootMemoryMap {
    public static final long GDT = 0x0500;
    public static final long ZERO_PAGE = 0x7000;
    public static final long PML4 = 0x9000;
    public static final long PDPT = 0xa000;
    public static final long PAGE_DIRECTORIES = 0xb000;   // four of them, one per GiB
    public static final long CMDLINE = 0x20000;
    /** Up to the reserved area below 1 MiB. */
    public static final long CMDLINE_MAX_END = E820.LOW_RAM_END;
    /** The protected-mode kernel goes here ("loaded high", LOADED_HIGH). */
    public static final long KERNEL = 0x100000;
    /** The smallest guest that makes sense for Linux. */
    public static final long MIN_MEMORY = 32L << 20;
    public static final long PAGE = 4096;

    private BootMemoryMap() {
    }

    /** The page directories for {@link dev.minidocker.vmm.cpu.PageTables#write}: all four GiB mapped. */
    public static long[] pageDirectories() {
        return new long[] {PAGE_DIRECTORIES, PAGE_DIRECTORIES + PAGE, PAGE_DIRECTORIES + 2 * PAGE, PAGE_DIRECTORIES + 3 * PAGE};
    }

    /**
     * End of the memory the kernel uses while it starts: it runs at pref_address when it is
     * relocatable (it moves itself there) and needs init_size bytes from there.
     */
    public static long kernelEnd(BzImage kernel) {
        long runsAt = Math.max(KERNEL, kernel.relocatable() ? kernel.prefAddress() : KERNEL);
        return Math.max(KERNEL + kernel.protectedModeSize(), runsAt + kernel.initSize());
    }

    /** Checks the command line fits both the kernel's cmdline_size and the space below 1 MiB. */
    public static void checkCmdline(BzImage kernel, String cmdline) {
        long length = cmdline.getBytes(java.nio.charset.StandardCharsets.US_ASCII).length;
        if (length > kernel.cmdlineSize() || CMDLINE + length + 1 > CMDLINE_MAX_END) {
            throw new VmmException("kernel command line of " + length + " bytes is too long: this kernel takes at most "
                    + Math.min(kernel.cmdlineSize(), CMDLINE_MAX_END - CMDLINE - 1));
        }
    }

    // tag::initrd-placement[]
    /**
     * Where the initrd goes: as high as possible (out of the kernel's way), page aligned, ending
     * at or below both the end of RAM and initrd_addr_max + 1, and not inside the kernel's area.
     */
    public static long initrdAddress(long memorySize, long initrdSize, long initrdAddrMax, long kernelEnd) {
        // exercise:begin ch11-initrd-placement "top = min(memorySize, initrdAddrMax + 1); address = (top - initrdSize) rounded down to a page; refuse (VmmException) when it would start below kernelEnd"
        long top = Math.min(memorySize, initrdAddrMax + 1);
        long address = (top - initrdSize) & ~(PAGE - 1);
        if (address < kernelEnd) {
            throw new VmmException(String.format("kernel and initrd do not fit in %d MiB of guest memory "
                    + "(the kernel needs up to %d MiB, the initrd %d KiB more): give --mem more",
                    memorySize >> 20, (kernelEnd + (1 << 20) - 1) >> 20, (initrdSize + 1023) >> 10));
        }
        return address;
        // exercise:end ch11-initrd-placement
    }
    // end::initrd-placement[]
}
