package dev.minidocker.vmm.memory;

/**
 * Where things live in a mini-vmm guest's physical memory. Everything but the MMIO window fits
 * in the first 64 KiB so that the same layout works in real mode (which only reaches the first MiB).
 */
// tag::memorymap[]
public final class MemoryMap {
    /** The GDT the VMM writes for protected and long mode. */
    public static final long GDT = 0x0500;
    /** Long-mode page tables: PML4, then one PDPT, then one page directory of 2 MiB pages. */
    public static final long PML4 = 0x1000;
    public static final long PDPT = 0x2000;
    public static final long PAGE_DIRECTORY = 0x3000;
    /** A page where the VMM leaves data for the guest and the guest leaves results. */
    public static final long MAILBOX = 0x4000;
    /** The stack grows down from here. */
    public static final long STACK_TOP = 0x8000;
    /** Guest programs are loaded here and start here. */
    public static final long ENTRY = 0x8000;
    /** The page directory that maps the fourth GiB (the PCI hole, where the MMIO window is). */
    public static final long PCI_HOLE_DIRECTORY = 0x5000;
    /**
     * The MMIO window, in the "PCI hole" below 4 GiB where a PC has no RAM (devices, the APICs,
     * the firmware live there): every access is an exit to the VMM, and RAM can grow up to it.
     */
    public static final long MMIO_BASE = 0xd000_0000L;
    /** Pages KVM on Intel needs for real-mode emulation (TSS, then identity map), out of the guest's way. */
    public static final long TSS_ADDR = 0xfffb_d000L;
    public static final long IDENTITY_MAP_ADDR = 0xfffb_c000L;

    private MemoryMap() {
    }
}
// end::memorymap[]
