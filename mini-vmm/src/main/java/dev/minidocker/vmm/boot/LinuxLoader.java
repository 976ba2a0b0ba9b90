package dev.minidocker.vmm.boot;

import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_ET;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_NE;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_PE;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR0_PG;
import static dev.minidocker.vmm.cpu.ControlRegisters.CR4_PAE;
import static dev.minidocker.vmm.cpu.ControlRegisters.EFER_LMA;
import static dev.minidocker.vmm.cpu.ControlRegisters.EFER_LME;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.vmm.cpu.Gdt;
import dev.minidocker.vmm.cpu.PageTables;
import dev.minidocker.vmm.kvm.Cpuid;
import dev.minidocker.vmm.kvm.DescriptorTable;
import dev.minidocker.vmm.kvm.Regs;
import dev.minidocker.vmm.kvm.Sregs;
import dev.minidocker.vmm.machine.Machine;
import dev.minidocker.vmm.memory.GuestMemory;

/**
 * The boot loader's job, done by the VMM: put the kernel, its command line, the initrd and the
 * zero page into guest memory, and start the vCPU at the kernel's 64-bit entry point the way the
 * boot protocol's "64-bit boot protocol" section asks: long mode, paging on with an identity map
 * of what the kernel touches, a GDT with flat segments at selectors 0x10 (code) and 0x18 (data),
 * interrupts off, rsi = the zero page. Entering in 64-bit mode skips the real-mode setup code
 * (which would need a BIOS) and the 32-bit stage.
 */
public final class LinuxLoader {
    /** __BOOT_CS and __BOOT_DS, the selectors boot.rst names for the 32/64-bit entry. */
    public static final int BOOT_CS = 0x10;
    public static final int BOOT_DS = 0x18;
    /** CPUID leaf 1, ECX bit 31: "running under a hypervisor" (Linux then looks at leaf 0x40000000). */
    public static final int CPUID_HYPERVISOR = 1 << 31;

    private LinuxLoader() {
    }

    /** Where everything went, for --stats and the chapter. */
    public record Loaded(long entry, long zeroPage, long cmdline, long initrd, long initrdSize, long kernelEnd) {
    }

    // tag::load[]
    public static Loaded load(Machine machine, BzImage kernel, byte[] initrd, String cmdline) {
        GuestMemory memory = machine.memory();
        long memorySize = memory.size();
        long kernelEnd = BootMemoryMap.kernelEnd(kernel);
        if (kernelEnd > memorySize) {
            throw new dev.minidocker.vmm.kvm.VmmException(String.format(
                    "the kernel needs %d MiB of guest memory to start (pref_address + init_size), --mem gives %d MiB",
                    (kernelEnd + (1 << 20) - 1) >> 20, memorySize >> 20));
        }
        BootMemoryMap.checkCmdline(kernel, cmdline);
        long initrdAt = initrd.length == 0 ? 0
                : BootMemoryMap.initrdAddress(memorySize, initrd.length, kernel.initrdAddrMax(), kernelEnd);

        memory.write(BootMemoryMap.KERNEL, kernel.protectedModeKernel());
        memory.write(BootMemoryMap.CMDLINE, (cmdline + "\0").getBytes(StandardCharsets.US_ASCII));
        if (initrd.length > 0) {
            memory.write(initrdAt, initrd);
        }
        BootParams.Placement placement = new BootParams.Placement(BootMemoryMap.CMDLINE, initrdAt, initrd.length,
                E820.forMemory(memorySize));
        memory.write(BootMemoryMap.ZERO_PAGE, BootParams.build(kernel, placement));

        long entry = BootMemoryMap.KERNEL + BzImage.ENTRY_64_OFFSET;
        enterLongMode(machine, memory);
        machine.vcpu().setRegs(Regs.start(entry, BootMemoryMap.ZERO_PAGE).withRsi(BootMemoryMap.ZERO_PAGE));
        machine.vcpu().setCpuid(withHypervisorBit(machine.kvm().supportedCpuid()));
        return new Loaded(entry, BootMemoryMap.ZERO_PAGE, BootMemoryMap.CMDLINE, initrdAt, initrd.length, kernelEnd);
    }
    // end::load[]

    // tag::long-mode[]
    /** GDT, 4 GiB identity map, CR0/CR3/CR4/EFER for long mode, CS = 0x10 and the data segments 0x18. */
    static void enterLongMode(Machine machine, GuestMemory memory) {
        long code64 = Gdt.descriptor(0, 0xfffff, 0x9b, 0xa);   // present, execute/read; 4 KiB granules, L=1
        long data = Gdt.descriptor(0, 0xfffff, 0x93, 0xc);     // present, read/write; 4 KiB granules, 32-bit
        long[] gdt = {0, 0, code64, data};
        for (int i = 0; i < gdt.length; i++) {
            memory.writeU64(BootMemoryMap.GDT + 8L * i, gdt[i]);
        }
        long cr3 = PageTables.write(memory, BootMemoryMap.PML4, BootMemoryMap.PDPT, BootMemoryMap.pageDirectories());
        Sregs sregs = machine.vcpu().getSregs()
                .withGdt(new DescriptorTable(BootMemoryMap.GDT, gdt.length * 8 - 1))
                .withSegments(Gdt.segment(BOOT_CS, code64), Gdt.segment(BOOT_DS, data))
                .withControl(CR0_PE | CR0_ET | CR0_NE | CR0_PG, cr3, CR4_PAE, EFER_LME | EFER_LMA);
        machine.vcpu().setSregs(sregs);
    }
    // end::long-mode[]

    /** What KVM supports, plus the hypervisor bit, so the kernel finds KVM's leaves (kvmclock, PV features). */
    static List<Cpuid.Entry> withHypervisorBit(List<Cpuid.Entry> supported) {
        List<Cpuid.Entry> out = new ArrayList<>(supported.size());
        for (Cpuid.Entry e : supported) {
            if (e.function() == 1) {
                e = new Cpuid.Entry(e.function(), e.index(), e.flags(), e.eax(), e.ebx(), e.ecx() | CPUID_HYPERVISOR, e.edx());
            }
            out.add(e);
        }
        return out;
    }
}
