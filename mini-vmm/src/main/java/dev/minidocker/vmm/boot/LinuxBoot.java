package dev.minidocker.vmm.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

import dev.minidocker.vmm.device.CmosRtc;
import dev.minidocker.vmm.device.I8042;
import dev.minidocker.vmm.device.ResetControl;
import dev.minidocker.vmm.device.ResetLine;
import dev.minidocker.vmm.kvm.VmmException;
import dev.minidocker.vmm.machine.Machine;
import dev.minidocker.vmm.machine.RunResult;
import dev.minidocker.vmm.memory.GuestMemory;

/**
 * Boots Linux: a PC-shaped machine (in-kernel PIC, I/O APIC and PIT, the 8250 UART on IRQ 4, a
 * keyboard controller and port 0xcf9 for reset), the kernel and initrd loaded by
 * {@link LinuxLoader}, then the run loop until the guest ends the VM: through the debug-exit port
 * (the default init's power-off, carrying the status) or by resetting the machine (reboot, a
 * panic with panic=-1, a triple fault).
 */
public final class LinuxBoot {
    // tag::cmdline[]
    /**
     * What the VMM needs on the kernel command line: the console on the UART, reboot through the
     * keyboard controller (which ends the VM), a panic reboots at once instead of hanging, and
     * what this machine lacks, so the kernel does not probe for it (each probe is a VM exit, and
     * an unanswered one a time-out): no ACPI tables, no PCI bus, no PS/2 mouse port.
     */
    public static final String BASE_CMDLINE = "console=ttyS0 reboot=k panic=-1 acpi=off pci=off i8042.noaux";
    // end::cmdline[]

    /** kernel: a bzImage; initrd: null for the default one; exec: the command for the default init, or null. */
    public record Options(Path kernel, Path initrd, String append, long memorySize, String exec, PrintStream trace) {
        public String cmdline() {
            return append == null || append.isBlank() ? BASE_CMDLINE : BASE_CMDLINE + " " + append.strip();
        }
    }

    /** How the guest ended, with its status and when things happened (System.nanoTime()). */
    public record Result(int status, RunResult.End end, String reason, long started, long firstByte, long init,
                         long ended, RunResult run, LinuxLoader.Loaded loaded, GuestMemory.Usage memory) {
    }

    private LinuxBoot() {
    }

    /** Reads the kernel and initrd with one-line errors. */
    public static BzImage readKernel(Path kernel) {
        return BzImage.parse(read(kernel, "kernel"), kernel.toString());
    }

    static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new VmmException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new VmmException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    // tag::boot[]
    /** Boots and runs until the guest ends the VM; input (may be null) is typed at the console. */
    public static Result boot(Options options, OutputStream serialOut, InputStream input) {
        BzImage kernel = readKernel(options.kernel());   // first: a missing kernel is named before the initrd
        byte[] initrd = options.initrd() != null ? read(options.initrd(), "initrd")
                : DefaultInitramfs.build(options.exec());
        return boot(kernel, options, initrd, serialOut, input, machine -> { });
    }

    /**
     * Boots with the initrd given as bytes (options' initrd and exec unused), after devices has
     * added what the guest needs beyond a PC's basics (VM-isolated containers: two more serial ports).
     */
    public static Result boot(Options options, byte[] initrd, OutputStream serialOut, InputStream input,
                              Consumer<Machine> devices) {
        return boot(readKernel(options.kernel()), options, initrd, serialOut, input, devices);
    }

    private static Result boot(BzImage kernel, Options options, byte[] initrd, OutputStream serialOut, InputStream input,
                               Consumer<Machine> devices) {
        BootConsole console = new BootConsole(serialOut);
        long started = System.nanoTime();
        Machine.Config config = new Machine.Config(options.memorySize(), true, console, options.trace());
        ResetLine reset = new ResetLine();
        LinuxLoader.Loaded loaded;
        RunResult run;
        long ended;
        GuestMemory.Usage memory;
        try (Machine machine = new Machine(config)) {
            new I8042(reset).attach(machine.ioBus());
            machine.ioBus().register(ResetControl.PORT, 1, "reset control", new ResetControl(reset));
            machine.ioBus().register(CmosRtc.INDEX_PORT, CmosRtc.PORTS, "cmos rtc", new CmosRtc(Clock.systemUTC()));
            devices.accept(machine);
            loaded = LinuxLoader.load(machine, kernel, initrd, options.cmdline());
            if (input != null) {
                machine.connectInput(input);
            }
            run = machine.run(reset);
            ended = System.nanoTime();
            memory = machine.memory().usage();
        } catch (VmmException e) {
            flush(console);
            // once the kernel has spoken, its last lines say more than the VMM's reason alone
            throw console.firstByteAt() == 0 ? e : new VmmException(e.getMessage() + lastLines(console), e);
        }
        flush(console);
        if (console.panic() != null) {
            throw new VmmException("the guest kernel panicked: " + console.panic() + lastLines(console));
        }
        int status = run.end() == RunResult.End.RESET && console.exitStatus() != null ? console.exitStatus() : run.exitCode();
        String reason = switch (run.end()) {
            case DEBUG_EXIT -> "powered off through the debug-exit port (0xf4)";
            case RESET -> reset.reason();
            case HLT -> "halted";
        };
        return new Result(status, run.end(), reason, started, console.firstByteAt(), console.initAt(), ended, run, loaded, memory);
    }
    // end::boot[]

    private static String lastLines(BootConsole console) {
        StringBuilder s = new StringBuilder("\nlast console lines:");
        for (String l : console.lastLines()) {
            s.append("\n  | ").append(l);
        }
        return s.toString();
    }

    private static void flush(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            // the terminal went away; the result still counts
        }
    }
}
