package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;
import static dev.minidocker.vmm.guest.Asm.Reg.EAX;
import static dev.minidocker.vmm.guest.Asm.Reg.EDI;
import static dev.minidocker.vmm.guest.Asm.Reg.ESI;
import static dev.minidocker.vmm.guest.Asm.Reg.RDI;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.device.TextDisplay;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * Writes a line of text to the MMIO text display with plain stores (each one an MMIO exit),
 * reads the display's count register with a plain load, and exits with that count.
 */
public final class MmioGuest extends Guest {
    public static final String TEXT = "MMIO works";

    public MmioGuest() {
        super("mmio", "stores text into an MMIO display, loads its counter, exits with it", false,
                CpuMode.PROTECTED, CpuMode.LONG);
    }

    @Override
    public Answer answer() {
        return Answer.DISPLAY;
    }

    // tag::mmio[]
    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label text = asm.label("text");
        Asm.Label next = asm.label("next");
        Asm.Label done = asm.label("done");
        Asm.Reg cursor = mode == CpuMode.LONG ? RDI : EDI;
        asm.mov(ESI, text)
           .mov(EDI, MemoryMap.MMIO_BASE)               // the display: no RAM there
           .bind(next)
           .lodsb()
           .test(AL, AL)
           .jz(done)
           .mov(Asm.Mem.at(cursor), AL)                  // a store: KVM_EXIT_MMIO (write)
           .inc(cursor)
           .jmp(next)
           .bind(done)
           .mov(EDI, MemoryMap.MMIO_BASE)               // through a register: in long mode an absolute
           .mov(EAX, Asm.Mem.at(cursor, TextDisplay.COUNT))  // address above 2 GiB would be sign-extended; a load: KVM_EXIT_MMIO (read)
           .out(DebugExit.PORT, AL)
           .hlt()
           .bind(text).asciz(TEXT);
    }
    // end::mmio[]
}
