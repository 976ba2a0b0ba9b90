package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;
import static dev.minidocker.vmm.guest.Asm.Reg.AX;
import static dev.minidocker.vmm.guest.Asm.Reg.SI;

import java.nio.charset.StandardCharsets;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.memory.GuestMemory;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * Reads a string the VMM wrote into guest memory, prints it, writes its length back into
 * memory at MAILBOX + 0x100 and exits through the debug-exit port with the length as code:
 * guest and VMM share the same physical pages.
 */
public final class MailboxGuest extends Guest {
    public static final long RESULT = MemoryMap.MAILBOX + 0x100;

    private final String message;

    public MailboxGuest(String message) {
        super("mailbox", "prints the string the VMM left in its memory, returns its length", false, CpuMode.REAL);
        this.message = message;
    }

    @Override
    public void prepare(GuestMemory memory) {
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        memory.write(MemoryMap.MAILBOX, b);
        memory.writeU8(MemoryMap.MAILBOX + b.length, 0);
    }

    // tag::mailbox[]
    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label prefix = asm.label("prefix");
        Asm.Label newline = asm.label("newline");
        Asm.Label puts = asm.label("puts");
        asm.mov(SI, prefix)
           .call(puts)
           .mov(SI, MemoryMap.MAILBOX)            // the VMM's string
           .call(puts)                             // leaves si just past its NUL
           .mov(AX, SI)
           .sub(AX, MemoryMap.MAILBOX + 1)         // length = end - start - 1
           .mov(Asm.Mem.at(RESULT), AX)            // leave the answer in memory
           .push(AX)
           .mov(SI, newline)
           .call(puts)
           .pop(AX)
           .out(DebugExit.PORT, AL)                // exit code = length
           .hlt();
        Serial.puts(asm, puts);
        asm.bind(prefix).asciz("the VMM says: ")
           .bind(newline).asciz("\n");
    }
    // end::mailbox[]
}
