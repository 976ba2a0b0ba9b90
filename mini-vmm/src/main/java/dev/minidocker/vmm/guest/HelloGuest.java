package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.EAX;
import static dev.minidocker.vmm.guest.Asm.Reg.ECX;
import static dev.minidocker.vmm.guest.Asm.Reg.ESI;
import static dev.minidocker.vmm.guest.Asm.Reg.RAX;
import static dev.minidocker.vmm.guest.Asm.Reg.SI;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * The first guest: prints a greeting naming its mode on the serial port, leaves CR0 in the
 * mailbox (so a test can see PE and PG), in long mode also a 64-bit value and EFER, then HLT.
 */
public final class HelloGuest extends Guest {
    public HelloGuest() {
        super("hello", "prints a greeting over the serial port, then hlt", false,
                CpuMode.REAL, CpuMode.PROTECTED, CpuMode.LONG);
    }

    public static String greeting(CpuMode mode) {
        return switch (mode) {
            case REAL -> "Hello from real mode!\n";
            case PROTECTED -> "Hello from 32-bit protected mode!\n";
            case LONG -> "Hello from 64-bit long mode!\n";
        };
    }

    // tag::hello[]
    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label message = asm.label("message");
        Asm.Label puts = asm.label("puts");
        asm.comment("hello: print the greeting, leave CR0 in the mailbox, halt")
           .mov(asm.bits() == 16 ? SI : ESI, message)
           .call(puts)
           .movFromCr(EAX, 0)
           .mov(Asm.Mem.at(MemoryMap.MAILBOX), EAX);
        if (mode == CpuMode.LONG) {
            asm.comment("only long mode has 64-bit registers; EFER shows LMA")
               .mov(RAX, 0x0123_4567_89ab_cdefL)
               .mov(Asm.Mem.at(MemoryMap.MAILBOX + 8), RAX)
               .mov(ECX, 0xc000_0080L)       // IA32_EFER
               .rdmsr()
               .mov(Asm.Mem.at(MemoryMap.MAILBOX + 16), EAX);
        }
        asm.hlt();
        Serial.puts(asm, puts);
        asm.bind(message).asciz(greeting(mode));
    }
    // end::hello[]
}
