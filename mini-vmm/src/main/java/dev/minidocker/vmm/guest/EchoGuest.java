package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;
import static dev.minidocker.vmm.guest.Asm.Reg.DX;
import static dev.minidocker.vmm.guest.Asm.Reg.EAX;
import static dev.minidocker.vmm.guest.Asm.Reg.EDX;
import static dev.minidocker.vmm.guest.Asm.Reg.ESI;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.cpu.Gdt;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.device.Uart8250;

/**
 * Echoes what is typed, one line: the UART raises IRQ 4 when a byte arrives, the handler reads
 * every waiting byte and sends it back. At newline (or Ctrl-D) it exits with the count echoed.
 */
public final class EchoGuest extends Guest {
    public static final String PROMPT = "echo: type a line\n";
    public static final int UART_VECTOR = Pic.VECTOR_BASE + Uart8250.IRQ_COM1;

    public EchoGuest() {
        super("echo", "echoes one typed line using UART receive interrupts, exits with its length", true,
                CpuMode.REAL, CpuMode.PROTECTED);
    }

    @Override
    public boolean readsInput() {
        return true;
    }

    // tag::echo[]
    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label puts = asm.label("puts");
        Asm.Label prompt = asm.label("prompt");
        Asm.Label wait = asm.label("wait");
        Asm.Label handler = asm.label("uart_interrupt");
        Asm.Label next = asm.label("next_byte");
        Asm.Label finish = asm.label("finish");
        Asm.Label eoi = asm.label("eoi");
        Asm.Label idt = asm.label("idt");
        Asm.Label idtr = asm.label("idtr");
        Asm.Label count = asm.label("count");
        Asm.Label done = asm.label("done");
        asm.cli();
        Pic.remap(asm, 0xff & ~(1 << Uart8250.IRQ_COM1));        // only IRQ 4, COM1
        asm.lidt(Asm.Mem.at(idtr))
           .mov(DX, Uart8250.COM1 + Uart8250.IER).mov(AL, Uart8250.IER_RDI).outDx(AL)  // interrupt on receive
           .mov(DX, Uart8250.COM1 + Uart8250.MCR).mov(AL, Uart8250.MCR_OUT2).outDx(AL) // connect the IRQ line
           .mov(asm.natural(ESI), prompt)
           .call(puts)
           .sti()
           .bind(wait)
           .hlt()
           .cmp(Asm.Mem.at(done).asByte(), 0)
           .jz(wait)
           .cli()
           .mov(AL, Asm.Mem.at(count))
           .out(DebugExit.PORT, AL);

        asm.bind(handler)
           .push(asm.natural(EAX))
           .push(asm.natural(EDX))
           .bind(next)
           .mov(DX, Uart8250.COM1 + Uart8250.LSR).inDx(AL)
           .test(AL, Uart8250.LSR_DR)
           .jz(eoi)                                             // nothing (more) received
           .mov(DX, Uart8250.COM1 + Uart8250.RBR_THR).inDx(AL)  // take the byte
           .cmp(AL, 0x04)
           .jz(finish)                                          // Ctrl-D: end of input
           .outDx(AL)                                           // echo it
           .inc(Asm.Mem.at(count).asByte())
           .cmp(AL, '\n')
           .jnz(next)
           .bind(finish)
           .mov(Asm.Mem.at(done).asByte(), 1)
           .jmp(next)
           .bind(eoi);
        Pic.eoi(asm);
        asm.pop(asm.natural(EDX))
           .pop(asm.natural(EAX))
           .iret();

        Serial.puts(asm, puts);
        asm.bind(idt).zeros(UART_VECTOR * asm.vectorSize())
           .interruptVector(handler, Gdt.CODE32_SELECTOR)
           .bind(idtr).dw((UART_VECTOR + 1) * asm.vectorSize() - 1).dd(idt)
           .bind(count).db(0)
           .bind(done).db(0)
           .bind(prompt).asciz(PROMPT);
    }
    // end::echo[]
}
