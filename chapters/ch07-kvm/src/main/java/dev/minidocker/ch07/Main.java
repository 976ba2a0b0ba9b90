package dev.minidocker.ch07;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.cpu.ModeSetup;
import dev.minidocker.vmm.device.Bus;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.device.IrqLine;
import dev.minidocker.vmm.device.Uart8250;
import dev.minidocker.vmm.guest.Asm;
import dev.minidocker.vmm.guest.HelloGuest;
import dev.minidocker.vmm.kvm.Capability;
import dev.minidocker.vmm.kvm.Kvm;
import dev.minidocker.vmm.kvm.MemoryRegion;
import dev.minidocker.vmm.kvm.Sregs;
import dev.minidocker.vmm.kvm.Vcpu;
import dev.minidocker.vmm.kvm.Vm;
import dev.minidocker.vmm.kvm.VmmException;
import dev.minidocker.vmm.machine.RunLoop;
import dev.minidocker.vmm.machine.RunResult;
import dev.minidocker.vmm.memory.GuestMemory;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * Chapter 7: a first virtual machine. Every step is one KVM ioctl, done here by hand (the
 * {@code Machine} class does the same for the later chapters): open /dev/kvm, create a VM, give
 * it memory, load a real-mode program, create a vCPU, and loop around KVM_RUN.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        try {
            demo(Narrator.fromArgs(args));
        } catch (VmmException | SyscallException e) {
            System.err.println("ch07: " + e.getMessage());
            System.exit(125);
        }
    }

    public static void demo(Narrator n) {
        n.title("Chapter 7: The first guest, the KVM API and the run loop");

        n.step("Open /dev/kvm and check the API version", "KVM_GET_API_VERSION answers 12 on every Linux since 2.6.22");
        try (Kvm kvm = Kvm.open()) {
            n.host("ioctl(/dev/kvm, KVM_GET_API_VERSION) = " + kvm.apiVersion());
            for (Capability cap : List.of(Capability.KVM_CAP_USER_MEMORY, Capability.KVM_CAP_NR_MEMSLOTS,
                    Capability.KVM_CAP_IRQCHIP)) {
                n.host("ioctl(/dev/kvm, KVM_CHECK_EXTENSION, " + cap + ") = " + kvm.checkExtension(cap));
            }

            n.step("Create a VM and back its first 2 MiB of physical memory with an mmap",
                    "the host address: guest physical address 0 is that byte of our process");
            try (Vm vm = kvm.createVm(); GuestMemory memory = GuestMemory.allocate(0, 2L << 20)) {
                vm.setTssAddr(MemoryMap.TSS_ADDR);
                vm.setIdentityMapAddr(MemoryMap.IDENTITY_MAP_ADDR);
                vm.setUserMemoryRegion(new MemoryRegion(0, 0, 0, memory.size(), memory.hostAddress()));
                n.host("KVM_CREATE_VM = fd " + vm.fd());
                n.host(String.format("mmap(2 MiB) = 0x%x; KVM_SET_USER_MEMORY_REGION slot 0: guest 0x0-0x%x",
                        memory.hostAddress(), memory.size()));

                n.step("Assemble the guest and copy its bytes to guest address 0x8000",
                        "each instruction's bytes beside it; no assembler outside Java, no binary blob");
                Asm program = new HelloGuest().assemble(CpuMode.REAL);
                memory.write(MemoryMap.ENTRY, program.assemble());
                for (String line : program.listing().split("\n")) {
                    n.say(line);
                }

                n.step("Create a vCPU and map its kvm_run structure", "where a fresh vCPU starts: CS base 0xffff0000, the BIOS");
                try (Vcpu vcpu = vm.createVcpu(0)) {
                    Sregs reset = vcpu.getSregs();
                    n.host("KVM_CREATE_VCPU = fd " + vcpu.fd() + "; mmap(kvm_run, " + kvm.vcpuMmapSize() + " bytes)");
                    n.host(String.format("at reset: cs.selector=0x%x cs.base=0x%x", reset.cs().selector(), reset.cs().base()));
                    ModeSetup.enter(CpuMode.REAL, vcpu, memory, MemoryMap.ENTRY, MemoryMap.STACK_TOP);
                    n.host(String.format("KVM_SET_SREGS cs.base=0, KVM_SET_REGS rip=0x%x rsp=0x%x",
                            MemoryMap.ENTRY, MemoryMap.STACK_TOP));

                    n.step("Run: KVM_RUN, decode the exit, do the I/O, KVM_RUN again, until HLT",
                            "the exits: the guest reads the UART's line status, then writes a byte");
                    ByteArrayOutputStream serial = new ByteArrayOutputStream();
                    ByteArrayOutputStream traceBytes = new ByteArrayOutputStream();
                    Bus io = new Bus("I/O");
                    io.register(Uart8250.COM1, Uart8250.PORTS, "uart8250", new Uart8250(serial, IrqLine.NONE));
                    DebugExit debugExit = new DebugExit();
                    io.register(DebugExit.PORT, 1, "debug-exit", debugExit);
                    PrintStream trace = new PrintStream(traceBytes, true, StandardCharsets.UTF_8);
                    RunResult result = new RunLoop(vcpu, io, new Bus("MMIO"), debugExit, trace).run();
                    String[] exits = traceBytes.toString(StandardCharsets.UTF_8).split("\n");
                    for (int i = 0; i < Math.min(8, exits.length); i++) {
                        n.host(exits[i]);
                    }
                    n.host("... " + (exits.length - 8) + " more lines");
                    n.guestLines(serial.toString(StandardCharsets.ISO_8859_1));
                    n.host(result.stats().exits() + " exits, the last one KVM_EXIT_HLT; " + result.regs().summary());
                }
            }
        }
        n.conclude("A VM is a file descriptor, its RAM is an mmap, and a vCPU is a loop around KVM_RUN.");
    }
}
