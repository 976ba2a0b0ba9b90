package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;
import static dev.minidocker.vmm.guest.Asm.Reg.DX;
import static dev.minidocker.vmm.guest.Asm.Reg.EAX;
import static dev.minidocker.vmm.guest.Asm.Reg.EDX;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.cpu.Gdt;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.device.Uart8250;

/**
 * Programs the 8254 PIT for 100 interrupts a second, takes them through its IDT (printing a dot
 * for each), sleeps with HLT between them, and after {@link #TICKS} ticks exits with the count.
 */
public final class TimerGuest extends Guest {
    public static final int TICKS = 10;
    public static final int HZ = 100;
    /** The PIT's input clock, 1.193182 MHz, divided down to HZ. */
    public static final int DIVISOR = 1193182 / HZ;
    public static final int TIMER_VECTOR = Pic.VECTOR_BASE;   // IRQ 0

    public TimerGuest() {
        super("timer", "programs the PIT at 100 Hz, counts " + TICKS + " timer interrupts, exits with the count", true,
                CpuMode.REAL, CpuMode.PROTECTED);
    }

    // tag::timer[]
    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label wait = asm.label("wait");
        Asm.Label handler = asm.label("timer_interrupt");
        Asm.Label idt = asm.label("idt");
        Asm.Label idtr = asm.label("idtr");
        Asm.Label ticks = asm.label("ticks");
        Asm.Label newline = asm.label("newline");
        asm.cli();
        Pic.remap(asm, 0xfe);                                   // only IRQ 0, the timer
        asm.lidt(Asm.Mem.at(idtr))
           .comment("PIT channel 0, lobyte/hibyte, mode 2 (rate generator)")
           .mov(AL, 0x34).out(0x43, AL)
           .mov(AL, DIVISOR & 0xff).out(0x40, AL)
           .mov(AL, DIVISOR >> 8).out(0x40, AL)
           .sti()
           .bind(wait)
           .hlt()                                               // sleep until an interrupt
           .cmp(Asm.Mem.at(ticks).asDword(), TICKS)
           .jb(wait)
           .cli()
           .mov(AL, '\n').mov(DX, Uart8250.COM1).outDx(AL)
           .mov(EAX, Asm.Mem.at(ticks))
           .out(DebugExit.PORT, AL);                            // exit code = ticks counted

        asm.bind(handler)
           .push(asm.natural(EAX))
           .push(asm.natural(EDX))
           .inc(Asm.Mem.at(ticks).asDword())
           .mov(AL, '.').mov(DX, Uart8250.COM1).outDx(AL);     // one dot per tick
        Pic.eoi(asm);
        asm.pop(asm.natural(EDX))
           .pop(asm.natural(EAX))
           .iret();

        asm.comment("IDT: vectors 0-0x1f (exceptions) absent, 0x20 the timer")
           .bind(idt).zeros(TIMER_VECTOR * asm.vectorSize())
           .interruptVector(handler, Gdt.CODE32_SELECTOR)
           .bind(idtr).dw((TIMER_VECTOR + 1) * asm.vectorSize() - 1).dd(idt)
           .bind(ticks).dd(0)
           .bind(newline).asciz("\n");
    }
    // end::timer[]
}
