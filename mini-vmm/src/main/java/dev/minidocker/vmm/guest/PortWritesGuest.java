package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;
import static dev.minidocker.vmm.guest.Asm.Reg.ECX;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.memory.GuestMemory;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * The benchmark guest: N writes to port 0x80 (the PC's POST-code port), each one a VM exit the
 * VMM handles, then a debug exit. N is left in the mailbox by the VMM.
 */
public final class PortWritesGuest extends Guest {
    public static final int PORT = 0x80;

    private final long count;

    public PortWritesGuest(long count) {
        super("port-writes", "writes port 0x80 N times (--count), one VM exit each: for bench/vm-exits.sh", false,
                CpuMode.PROTECTED);
        this.count = count;
    }

    @Override
    public void prepare(GuestMemory memory) {
        memory.writeU32(MemoryMap.MAILBOX, count);
    }

    // tag::port-writes[]
    @Override
    protected void program(Asm asm, CpuMode mode) {
        Asm.Label again = asm.label("again");
        Asm.Label done = asm.label("done");
        asm.mov(ECX, Asm.Mem.at(MemoryMap.MAILBOX))   // N, from the VMM
           .mov(AL, 0)
           .test(ECX, ECX)
           .jz(done)
           .bind(again)
           .out(PORT, AL)                              // one exit
           .dec(ECX)
           .jnz(again)
           .bind(done)
           .out(DebugExit.PORT, AL)
           .hlt();
    }
    // end::port-writes[]
}
