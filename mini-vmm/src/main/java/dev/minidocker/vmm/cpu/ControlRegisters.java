package dev.minidocker.vmm.cpu;

/** The control-register and EFER bits that switch an x86 CPU between its modes. */
public final class ControlRegisters {
    /** CR0.PE: protection enable, segments come from descriptor tables. */
    public static final long CR0_PE = 1L;
    /** CR0.ET: extension type, hard-wired to 1 on every CPU since the 486. */
    public static final long CR0_ET = 1L << 4;
    /** CR0.NE: report FPU errors as exceptions. */
    public static final long CR0_NE = 1L << 5;
    /** CR0.PG: paging, addresses go through the page tables in CR3. */
    public static final long CR0_PG = 1L << 31;
    /** CR4.PAE: 64-bit page-table entries; long mode requires it. */
    public static final long CR4_PAE = 1L << 5;
    /** EFER.LME: long mode enable; becomes active (LMA) once paging is on. */
    public static final long EFER_LME = 1L << 8;
    /** EFER.LMA: long mode active. */
    public static final long EFER_LMA = 1L << 10;

    private ControlRegisters() {
    }
}
