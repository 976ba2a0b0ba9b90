package dev.minidocker.vmm.cpu;

import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_ET;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_NE;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_PE;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_PG;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR4_PAE;
import static dev.minidocker.vmm.cpu.ControlRegisters.EFER_LMA;
import static dev.minidocker.vmm.cpu.ControlRegisters.EFER_LME;

import dev.minidocker.vmm.kvm.DescriptorTable;
import dev.minidocker.vmm.kvm.Regs;
import dev.minidocker.vmm.kvm.Segment;
import dev.minidocker.vmm.kvm.Sregs;
import dev.minidocker.vmm.kvm.Vcpu;
import dev.minidocker.vmm.memory.GuestMemory;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * Puts a vCPU straight into real, protected or long mode, the way a boot loader would leave it,
 * without the guest having to switch modes itself: the VMM writes the GDT (and page tables) into
 * guest memory and loads the matching special registers with KVM_SET_SREGS.
 */
public final class ModeSetup {
    private ModeSetup() {
    }

    public static void enter(CpuMode mode, Vcpu vcpu, GuestMemory memory, long entry, long stackTop) {
        Sregs sregs = vcpu.getSregs();
        Sregs next = switch (mode) {
            case REAL -> realMode(sregs);
            case PROTECTED -> protectedMode(sregs, memory);
            case LONG -> longMode(sregs, memory);
        };
        vcpu.setSregs(next);
        vcpu.setRegs(Regs.start(entry, stackTop));
    }

    // tag::real-mode[]
    /** Real mode: every segment at base 0, so guest addresses are physical addresses below 64 KiB. */
    static Sregs realMode(Sregs reset) {
        // after reset CS is 0xf000 with base 0xffff0000 (the BIOS entry); point everything at 0
        return reset.withSegments(Segment.realMode(0, 0xb), Segment.realMode(0, 0x3));
    }
    // end::real-mode[]

    // tag::protected-mode[]
    /** Protected mode: a GDT in memory, CS/DS loaded from it, CR0.PE set. No paging. */
    static Sregs protectedMode(Sregs reset, GuestMemory memory) {
        int limit = Gdt.write(memory, MemoryMap.GDT);
        return reset.withGdt(new DescriptorTable(MemoryMap.GDT, limit))
                .withSegments(Gdt.segment(Gdt.CODE32_SELECTOR), Gdt.segment(Gdt.DATA_SELECTOR))
                .withControl(CR0_PE | CR0_ET | CR0_NE, 0, 0, 0);
    }
    // end::protected-mode[]

    // tag::long-mode[]
    /** Long mode: protected mode plus page tables (CR3), PAE (CR4), EFER.LME/LMA and paging (CR0.PG). */
    static Sregs longMode(Sregs reset, GuestMemory memory) {
        int limit = Gdt.write(memory, MemoryMap.GDT);
        long cr3 = PageTables.write(memory, MemoryMap.PML4, MemoryMap.PDPT, MemoryMap.PAGE_DIRECTORY);
        DescriptorTable gdt = new DescriptorTable(MemoryMap.GDT, limit);
        // exercise:begin ch09-long-mode-registers "load the GDT, 64-bit code and data segments, then CR0 = PE|ET|NE|PG, CR3, CR4 = PAE, EFER = LME|LMA"
        return reset.withGdt(gdt)
                .withSegments(Gdt.segment(Gdt.CODE64_SELECTOR), Gdt.segment(Gdt.DATA_SELECTOR))
                .withControl(CR0_PE | CR0_ET | CR0_NE | CR0_PG, cr3, CR4_PAE, EFER_LME | EFER_LMA);
        // exercise:end ch09-long-mode-registers
    }
    // end::long-mode[]
}
