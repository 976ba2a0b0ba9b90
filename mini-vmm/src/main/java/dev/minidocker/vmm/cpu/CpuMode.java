package dev.minidocker.vmm.cpu;

/** The three x86 modes a mini-vmm guest can start in, and the code width each one runs. */
public enum CpuMode {
    /** 16-bit real mode, as a PC starts: segment * 16 + offset, no protection. */
    REAL(16),
    /** 32-bit protected mode: segments from the GDT, flat 4 GiB, no paging. */
    PROTECTED(32),
    /** 64-bit long mode: paging required, identity-mapped here with 2 MiB pages. */
    LONG(64);

    public final int bits;

    CpuMode(int bits) {
        this.bits = bits;
    }

    public static CpuMode parse(String name) {
        for (CpuMode m : values()) {
            if (m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "': use real, protected or long");
    }
}
