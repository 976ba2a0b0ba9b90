package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AX;
import static dev.minidocker.vmm.guest.Asm.Reg.BX;
import static dev.minidocker.vmm.guest.Asm.Reg.CX;

import dev.minidocker.vmm.cpu.CpuMode;

/** Adds 1 to 10 in ax with a loop, puts a marker in bx and halts: the answer is in the registers. */
public final class RegsGuest extends Guest {
    public static final int MARKER = 0xbeef;

    public RegsGuest() {
        super("regs", "sums 1..10 into ax, 0xbeef into bx, then hlt (read the registers)", false, CpuMode.REAL);
    }

    @Override
    public Answer answer() {
        return Answer.REGISTERS;
    }

    // tag::regs[]
    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label sum = asm.label("sum");
        asm.xor(AX, AX)
           .mov(CX, 10)
           .bind(sum)
           .add(AX, CX)          // ax += cx
           .loop(sum)            // cx -= 1; until cx == 0
           .mov(BX, MARKER)
           .hlt();
    }
    // end::regs[]
}
