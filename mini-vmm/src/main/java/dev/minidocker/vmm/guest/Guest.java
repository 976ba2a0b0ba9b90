package dev.minidocker.vmm.guest;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.memory.GuestMemory;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * A guest program: its name, the mode it runs in, whether it needs the in-kernel interrupt
 * controllers, and its source, written as calls to {@link Asm} that read like the listing.
 */
public abstract class Guest {
    /** Where a guest leaves its answer besides its exit status: what {@code mini vm run} shows after it. */
    public enum Answer {
        /** on the serial port, already printed as it ran */
        SERIAL,
        /** in the registers it halts with */
        REGISTERS,
        /** on the MMIO text display */
        DISPLAY
    }

    private final String name;
    private final String description;
    private final java.util.List<CpuMode> modes;
    private final boolean irqchip;

    /** modes: the modes this program can run in, the first one being its default. */
    protected Guest(String name, String description, boolean irqchip, CpuMode... modes) {
        this.name = name;
        this.description = description;
        this.modes = java.util.List.of(modes);
        this.irqchip = irqchip;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The mode the VMM puts the vCPU in before the first instruction, unless told otherwise. */
    public CpuMode defaultMode() {
        return modes.get(0);
    }

    public java.util.List<CpuMode> modes() {
        return modes;
    }

    public boolean supports(CpuMode mode) {
        return modes.contains(mode);
    }

    /** True when the guest takes interrupts (and so ends through the debug-exit port, not hlt). */
    public boolean needsIrqchip() {
        return irqchip;
    }

    public Answer answer() {
        return Answer.SERIAL;
    }

    /** True when the guest reads the serial port, so the VMM should connect the terminal to it. */
    public boolean readsInput() {
        return false;
    }

    /** Writes the program's instructions and data for the given mode (asm.bits() is 16, 32 or 64). */
    protected abstract void program(Asm asm, CpuMode mode);

    /** Anything the VMM leaves in guest memory before the guest starts (default: nothing). */
    public void prepare(GuestMemory memory) {
    }

    /** The program assembled for a mode, to be loaded at {@link MemoryMap#ENTRY}. */
    public Asm assemble(CpuMode mode) {
        if (!supports(mode)) {
            throw new IllegalArgumentException("guest " + name + " runs in " + modes.toString().toLowerCase()
                    + " mode, not " + mode.name().toLowerCase());
        }
        Asm asm = new Asm(mode.bits, MemoryMap.ENTRY);
        program(asm, mode);
        asm.assemble();
        return asm;
    }
}
