package dev.minidocker.ch09;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.vmm.cpu.ControlRegisters;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.cpu.Gdt;
import dev.minidocker.vmm.cpu.PageTables;
import dev.minidocker.vmm.guest.HelloGuest;
import dev.minidocker.vmm.kvm.Segment;
import dev.minidocker.vmm.kvm.Sregs;
import dev.minidocker.vmm.kvm.VmmException;
import dev.minidocker.vmm.machine.Machine;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * Chapter 9: CPU modes. The same guest program, assembled for 16, 32 and 64 bits, runs in real
 * mode, in protected mode (a GDT in memory) and in long mode (page tables too). The VMM sets
 * the mode directly with KVM_SET_SREGS, the way a boot loader hands over to a kernel.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        try {
            demo(Narrator.fromArgs(args));
        } catch (VmmException | SyscallException e) {
            System.err.println("ch09: " + e.getMessage());
            System.exit(125);
        }
    }

    /** What a run of the hello guest in a mode left behind. */
    record ModeRun(String serial, long cr0, long value64, long efer, Sregs sregs) {
    }

    static ModeRun runHello(CpuMode mode) {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try (Machine m = new Machine(Machine.Config.of(serial))) {
            m.load(new HelloGuest(), mode);
            Sregs sregs = m.vcpu().getSregs();
            m.run();
            return new ModeRun(serial.toString(StandardCharsets.ISO_8859_1), m.memory().readU32(MemoryMap.MAILBOX),
                    m.memory().readU64(MemoryMap.MAILBOX + 8), m.memory().readU32(MemoryMap.MAILBOX + 16), sregs);
        }
    }

    public static void demo(Narrator n) {
        n.title("Chapter 9: Real, protected and long mode");

        n.step("Real mode: segments are base = selector * 16, no tables at all", "CR0 as the guest reads it: PE (bit 0) clear");
        ModeRun real = runHello(CpuMode.REAL);
        n.guestLines(real.serial());
        n.host(String.format("guest's CR0 = 0x%08x", real.cr0()));

        n.step("Protected mode: the VMM writes a GDT and loads CS and DS from it", "base, limit and attributes packed in 8 bytes");
        long[] gdt = Gdt.flatEntries();
        for (int i = 0; i < gdt.length; i++) {
            n.host(String.format("GDT[%d] (selector 0x%02x) = 0x%016x", i, i * 8, gdt[i]));
        }
        ModeRun prot = runHello(CpuMode.PROTECTED);
        Segment cs = prot.sregs().cs();
        n.host(String.format("cs: selector 0x%x base 0x%x limit 0x%x type 0x%x db=%b g=%b", cs.selector(), cs.base(),
                cs.limit(), cs.type(), cs.db(), cs.g()));
        n.guestLines(prot.serial());
        n.host(String.format("guest's CR0 = 0x%08x (PE set, PG clear)", prot.cr0()));

        n.step("Long mode: identity-mapped page tables with 2 MiB pages, then CR3, CR4.PAE, EFER.LME, CR0.PG",
                "the walk PML4 -> PDPT -> page directory, and the registers");
        long[][] tables = PageTables.identityMap1GiB(MemoryMap.PML4, MemoryMap.PDPT, MemoryMap.PAGE_DIRECTORY);
        n.host(String.format("PML4[0] = 0x%x   PDPT[0] = 0x%x   PD[0] = 0x%x   PD[1] = 0x%x",
                tables[0][0], tables[1][0], tables[2][0], tables[2][1]));
        n.host(String.format("virtual 0x%x -> physical 0x%x", MemoryMap.ENTRY, PageTables.translate(tables, MemoryMap.ENTRY)));
        ModeRun lm = runHello(CpuMode.LONG);
        n.host(String.format("KVM_SET_SREGS cr0=0x%x cr3=0x%x cr4=0x%x efer=0x%x cs.l=%b",
                lm.sregs().cr0(), lm.sregs().cr3(), lm.sregs().cr4(), lm.sregs().efer(), lm.sregs().cs().l()));
        n.guestLines(lm.serial());
        n.host(String.format("guest wrote rax = 0x%016x and read EFER = 0x%x (LMA %s)", lm.value64(), lm.efer(),
                (lm.efer() & ControlRegisters.EFER_LMA) != 0 ? "set" : "clear"));
        n.conclude("A mode is a handful of register bits plus the tables they point to; the VMM can set them all at once.");
    }
}
