package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;

/** Guest-side code for the 8259 interrupt controllers (emulated in the kernel with an irqchip). */
final class Pic {
    static final int MASTER_CMD = 0x20;
    static final int MASTER_DATA = 0x21;
    static final int SLAVE_CMD = 0xa0;
    static final int SLAVE_DATA = 0xa1;
    /** IRQ 0-7 arrive as vectors 0x20-0x27, clear of the CPU's exceptions 0-0x1f. */
    static final int VECTOR_BASE = 0x20;
    static final int EOI = 0x20;

    private Pic() {
    }

    // tag::pic[]
    /** The classic initialisation: ICW1-ICW4 to both PICs, then mask all IRQs but the allowed ones. */
    static void remap(Asm asm, int masterMask) {
        asm.comment("8259 PICs: IRQ 0-7 -> vectors 0x20-0x27, IRQ 8-15 -> 0x28-0x2f")
           .mov(AL, 0x11).out(MASTER_CMD, AL).out(SLAVE_CMD, AL)   // ICW1: initialise, ICW4 follows
           .mov(AL, VECTOR_BASE).out(MASTER_DATA, AL)               // ICW2: vector base
           .mov(AL, VECTOR_BASE + 8).out(SLAVE_DATA, AL)
           .mov(AL, 0x04).out(MASTER_DATA, AL)                      // ICW3: slave on IRQ 2
           .mov(AL, 0x02).out(SLAVE_DATA, AL)
           .mov(AL, 0x01).out(MASTER_DATA, AL).out(SLAVE_DATA, AL)  // ICW4: 8086 mode
           .mov(AL, masterMask).out(MASTER_DATA, AL)                // OCW1: 1 bits mask an IRQ
           .mov(AL, 0xff).out(SLAVE_DATA, AL);
    }
    // end::pic[]

    /** End of interrupt: the PIC may deliver this IRQ again. */
    static void eoi(Asm asm) {
        asm.mov(AL, EOI).out(MASTER_CMD, AL);
    }
}
