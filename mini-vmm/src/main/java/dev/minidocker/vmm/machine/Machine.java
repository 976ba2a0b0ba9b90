package dev.minidocker.vmm.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;

import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.cpu.ModeSetup;
import dev.minidocker.vmm.device.Bus;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.device.IrqLine;
import dev.minidocker.vmm.device.ResetLine;
import dev.minidocker.vmm.device.SharedIrq;
import dev.minidocker.vmm.device.TextDisplay;
import dev.minidocker.vmm.device.Uart8250;
import dev.minidocker.vmm.guest.Asm;
import dev.minidocker.vmm.guest.Guest;
import dev.minidocker.vmm.kvm.Kvm;
import dev.minidocker.vmm.kvm.KvmRun;
import dev.minidocker.vmm.kvm.MemoryRegion;
import dev.minidocker.vmm.kvm.Vcpu;
import dev.minidocker.vmm.kvm.Vm;
import dev.minidocker.vmm.kvm.VmExit;
import dev.minidocker.vmm.memory.GuestMemory;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * A whole virtual machine: KVM objects, guest memory, one vCPU, and the devices on the two buses.
 * Build it, {@link #load} a guest, {@link #run} it.
 */
public final class Machine implements AutoCloseable {
    /** memorySize in bytes; irqchip: in-kernel PIC, I/O APIC and PIT; serial: where the UART's output goes. */
    public record Config(long memorySize, boolean irqchip, OutputStream serial, PrintStream trace) {
        public static Config of(OutputStream serial) {
            return new Config(2L << 20, false, serial, null);
        }

        public Config withIrqchip(boolean on) {
            return new Config(memorySize, on, serial, trace);
        }

        public Config withMemory(long bytes) {
            return new Config(bytes, irqchip, serial, trace);
        }

        public Config withTrace(PrintStream out) {
            return new Config(memorySize, irqchip, serial, out);
        }
    }

    private final Kvm kvm;
    private final Vm vm;
    private final GuestMemory memory;
    private final Vcpu vcpu;
    private final Bus ioBus = new Bus("I/O");
    private final Bus mmioBus = new Bus("MMIO");
    private final Uart8250 uart;
    private final DebugExit debugExit = new DebugExit();
    private final TextDisplay display = new TextDisplay();
    private final Config config;
    private final java.util.Map<Integer, SharedIrq> irqs = new java.util.HashMap<>();
    private CpuMode mode;
    private boolean closed;   // guarded by this: the input thread must not use a closed (or reused) VM descriptor

    // tag::create[]
    public Machine(Config config) {
        if (config.memorySize() > MemoryMap.MMIO_BASE) {
            throw new IllegalArgumentException(String.format("guest memory of %d MiB would cover the PCI hole at 0x%x "
                    + "(MMIO window, APICs): use at most %d MiB", config.memorySize() >> 20, MemoryMap.MMIO_BASE,
                    MemoryMap.MMIO_BASE >> 20));
        }
        this.config = config;
        this.kvm = Kvm.open();
        Vm createdVm = null;
        GuestMemory mem = null;
        try {
            createdVm = kvm.createVm();
            // Intel's VMX needs these pages for real mode; set them before any vCPU or irqchip exists
            createdVm.setTssAddr(MemoryMap.TSS_ADDR);
            createdVm.setIdentityMapAddr(MemoryMap.IDENTITY_MAP_ADDR);
            mem = GuestMemory.allocate(0, config.memorySize());
            createdVm.setUserMemoryRegion(new MemoryRegion(0, 0, 0, mem.size(), mem.hostAddress()));
            if (config.irqchip()) {
                createdVm.createIrqchip();
                createdVm.createPit2();
            }
            this.vcpu = createdVm.createVcpu(0);
            vcpu.setCpuid(kvm.supportedCpuid());  // long mode needs CPUID to show "LM"
        } catch (RuntimeException e) {
            if (mem != null) {
                mem.close();
            }
            if (createdVm != null) {
                createdVm.close();
            }
            kvm.close();
            throw e;
        }
        this.vm = createdVm;
        this.memory = mem;
        // offered to KSM, as qemu does by default (mem-merge=on): identical pages of many guests become one
        mem.markMergeable();
        this.uart = new Uart8250(config.serial(), irqLine(Uart8250.IRQ_COM1));
        ioBus.register(Uart8250.COM1, Uart8250.PORTS, "uart8250", uart);
        ioBus.register(DebugExit.PORT, 1, "debug-exit", debugExit);
        mmioBus.register(MemoryMap.MMIO_BASE, TextDisplay.SIZE, "text-display", display);
    }
    // end::create[]

    /** A device's line to interrupt irq of the in-kernel irqchip (shared with other devices on it); none without an irqchip. */
    public IrqLine irqLine(int irq) {
        if (!config.irqchip()) {
            return IrqLine.NONE;
        }
        synchronized (irqs) {
            return irqs.computeIfAbsent(irq, n -> new SharedIrq(high -> raise(vm, n, high))).newSource();
        }
    }

    /** One more 8250 serial port at base (e.g. COM2 at 0x2f8 on IRQ 3), its output going to out. */
    public Uart8250 addSerialPort(int base, int irq, String name, OutputStream out) {
        Uart8250 port = new Uart8250(out, irqLine(irq));
        ioBus.register(base, Uart8250.PORTS, name, port);
        return port;
    }

    /** KVM_IRQ_LINE, unless the machine is already closed (input can arrive after the guest has ended). */
    private synchronized void raise(Vm target, int irq, boolean high) {
        if (!closed) {
            target.irqLine(irq, high);
        }
    }

    /** Writes the guest's program at the entry address and puts the vCPU in the mode to run it. */
    public Asm load(Guest guest, CpuMode runIn) {
        if (guest.needsIrqchip() && !config.irqchip()) {
            throw new IllegalArgumentException("guest " + guest.name() + " takes interrupts: create the machine with an irqchip");
        }
        Asm program = guest.assemble(runIn);
        memory.write(MemoryMap.ENTRY, program.assemble());
        guest.prepare(memory);
        ModeSetup.enter(runIn, vcpu, memory, MemoryMap.ENTRY, MemoryMap.STACK_TOP);
        this.mode = runIn;
        return program;
    }

    /** Runs until the guest halts or exits through the debug port. */
    public RunResult run() {
        if (mode == null) {
            throw new IllegalStateException("load a guest first");
        }
        return run(null);
    }

    /**
     * Runs a guest whose registers the caller has set (a boot loader, see the boot package) until
     * it halts, exits through the debug port, or, when reset is not null, resets the machine.
     */
    public RunResult run(ResetLine reset) {
        try {
            return new RunLoop(vcpu, ioBus, mmioBus, debugExit, config.trace()).withReset(reset).run();
        } catch (ExitFailure e) {
            throw explainEmulationFailure(e);
        }
    }

    /**
     * KVM's instruction emulator (all there is on software-only KVM such as kvm_pvm) cannot do an
     * IRET outside real mode; hardware KVM runs it natively. Say so when that is what failed.
     */
    private ExitFailure explainEmulationFailure(ExitFailure e) {
        if (!(e.exit() instanceof VmExit.InternalError error && error.suberror() == KvmRun.KVM_INTERNAL_ERROR_EMULATION)) {
            return e;
        }
        long rip = vcpu.getRegs().rip();
        if (memory.contains(rip, 2) && (memory.readU8(rip) == 0xcf || memory.readU16(rip) == 0xcf48)) {
            return new ExitFailure(e.exit(), e.getMessage() + "; the instruction is iret, which this KVM cannot emulate outside "
                    + "real mode: run interrupt guests with --mode real here (hardware KVM runs them in any mode)");
        }
        return e;
    }

    /**
     * Feeds bytes from input to the UART on a daemon thread, as if typed; end of input sends
     * Ctrl-D (0x04), two after a partial line, so a guest can tell.
     */
    public void connectInput(InputStream input) {
        connectInput(uart, input, () -> true);
    }

    /**
     * Feeds bytes from input to a serial port on a daemon thread, once ready says so (e.g. the
     * guest rang a {@link dev.minidocker.vmm.device.Doorbell}: bytes sent before its driver opens
     * the port would be lost, for opening clears the FIFO).
     */
    public void connectInput(Uart8250 port, InputStream input, java.util.function.BooleanSupplier ready) {
        Thread t = new Thread(() -> {
            if (!ready.getAsBoolean()) {
                return;
            }
            byte[] buf = new byte[256];
            int last = '\n';
            try {
                int n;
                while ((n = input.read(buf)) > 0) {
                    port.receive(Arrays.copyOf(buf, n));
                    last = buf[n - 1];
                }
            } catch (IOException e) {
                // input closed: treat as end of input
            }
            // as at a terminal: a first Ctrl-D ends a partial line, and one at a line's start is end of input
            port.receive(last == '\n' ? new byte[] {0x04} : new byte[] {0x04, 0x04});
        }, "uart-input");
        t.setDaemon(true);
        t.start();
    }

    public GuestMemory memory() {
        return memory;
    }

    public Vcpu vcpu() {
        return vcpu;
    }

    public Vm vm() {
        return vm;
    }

    public Kvm kvm() {
        return kvm;
    }

    public Uart8250 uart() {
        return uart;
    }

    public TextDisplay display() {
        return display;
    }

    public Bus ioBus() {
        return ioBus;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        vcpu.close();
        vm.close();       // KVM lets go of the memory slot
        memory.close();
        kvm.close();
    }
}
