package dev.minidocker.vmm.guest;

import dev.minidocker.vmm.cpu.CpuMode;

/**
 * Loads an empty IDT and executes an invalid instruction: the #UD exception finds no gate, nor
 * does the #GP that follows, nor the double fault: the CPU shuts down (KVM_EXIT_SHUTDOWN).
 */
public final class TripleFaultGuest extends Guest {
    public TripleFaultGuest() {
        super("triple-fault", "an exception with an empty IDT: the CPU shuts down (a VMM error)", false,
                CpuMode.PROTECTED, CpuMode.LONG);
    }

    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label idtr = asm.label("empty_idtr");
        asm.lidt(Asm.Mem.at(idtr))
           .ud2()                 // #UD -> no gate -> #GP -> #DF -> shutdown
           .hlt()
           .bind(idtr).dw(0).dd(0).dd(0);
    }
}
