package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;
import static dev.minidocker.vmm.guest.Asm.Reg.BL;
import static dev.minidocker.vmm.guest.Asm.Reg.DX;

import dev.minidocker.vmm.device.Uart8250;

/** Guest-side routines for the serial port, shared by the guests (16, 32 and 64-bit alike). */
final class Serial {
    private Serial() {
    }

    // tag::puts[]
    /**
     * puts: send the NUL-terminated string at si/esi/rsi to COM1, polling the line-status
     * register until the transmitter can take each byte, as a simple driver does.
     */
    static void puts(Asm asm, Asm.Label puts) {
        Asm.Label next = asm.label("puts_next");
        Asm.Label wait = asm.label("puts_wait");
        Asm.Label done = asm.label("puts_done");
        asm.bind(puts)
           .bind(next)
           .lodsb()                                   // al = next byte; advance si
           .test(AL, AL)
           .jz(done)                                  // NUL: end of string
           .mov(BL, AL)
           .bind(wait)
           .mov(DX, Uart8250.COM1 + Uart8250.LSR)
           .inDx(AL)                                  // read the line-status register
           .test(AL, Uart8250.LSR_THRE)
           .jz(wait)                                  // transmitter busy: ask again
           .mov(DX, Uart8250.COM1 + Uart8250.RBR_THR)
           .mov(AL, BL)
           .outDx(AL)                                 // send the byte
           .jmp(next)
           .bind(done)
           .ret();
    }
    // end::puts[]
}
