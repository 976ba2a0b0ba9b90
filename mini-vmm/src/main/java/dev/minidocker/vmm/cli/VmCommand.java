package dev.minidocker.vmm.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.minidocker.sys.SyscallException;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.guest.Guest;
import dev.minidocker.vmm.guest.Guests;
import dev.minidocker.vmm.kvm.VmmException;
import dev.minidocker.vmm.machine.Machine;
import dev.minidocker.vmm.machine.RunResult;
import dev.minidocker.vmm.memory.MemoryMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mini vm}: run the bundled guest programs on KVM. */
@Command(name = "vm", description = "Run small guest programs in a KVM virtual machine.",
        mixinStandardHelpOptions = true, subcommands = {VmCommand.Run.class, VmCommand.GuestsList.class, BootCommand.class})
public final class VmCommand implements Callable<Integer> {
    /** Docker's convention: 125 means the runtime itself failed. */
    public static final int EXIT_VMM_ERROR = 125;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "run", description = "Run a guest; its serial output goes to stdout, then what it left "
            + "elsewhere: the registers (regs), the MMIO text display (mmio). "
            + "Exit status: the guest's debug-exit code, 0 after hlt, 125 when the VMM fails.",
            mixinStandardHelpOptions = true)
    static final class Run implements Callable<Integer> {
        @Option(names = "--mode", paramLabel = "real|protected|long",
                description = "CPU mode to start the guest in (default: the guest's own)")
        String mode;

        @Option(names = "--mem", defaultValue = "2m", paramLabel = "SIZE", description = "guest memory, e.g. 2m, 64m (default 2m)")
        String mem;

        @Option(names = "--trace-exits", description = "print every VM exit to stderr")
        boolean traceExits;

        @Option(names = "--stats", description = "print exit counts by reason and time spent, to stderr")
        boolean stats;

        @Option(names = "--count", defaultValue = "10000", paramLabel = "N", description = "iterations for looping guests (port-writes)")
        long count;

        @Option(names = "--listing", description = "print the guest's assembly listing with its bytes, then run")
        boolean listing;

        @Parameters(paramLabel = "GUEST", description = "a guest name, see 'mini vm guests'")
        String guestName;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            LineTracker serial = new LineTracker(System.out);
            try {
                Guest guest = Guests.named(guestName, count);
                CpuMode runIn = mode == null ? guest.defaultMode() : CpuMode.parse(mode);
                Machine.Config config = new Machine.Config(parseSize(mem), guest.needsIrqchip(), serial,
                        traceExits ? err : null);
                try (Machine machine = new Machine(config)) {
                    var program = machine.load(guest, runIn);
                    if (listing) {
                        err.print(program.listing());
                    }
                    RunResult result;
                    if (guest.readsInput()) {
                        try (Terminal t = Terminal.characterMode()) {
                            machine.connectInput(System.in);
                            result = machine.run();
                        }
                    } else {
                        result = machine.run();
                    }
                    showAnswer(guest, machine, result);
                    System.out.flush();
                    if (stats) {
                        result.stats().print(err);
                    }
                    if (traceExits || stats) {
                        err.println(result.end() == RunResult.End.HLT ? "guest halted; " + result.regs().summary()
                                : "guest exited through the debug port with code " + result.exitCode());
                    }
                    return result.exitCode();
                }
            } catch (VmmException | SyscallException | IllegalArgumentException | java.io.UncheckedIOException e) {
                System.out.flush();
                if (serial.midLine()) {
                    err.println();   // the error starts on its own line, after the guest's partial output
                }
                err.println("mini vm: " + e.getMessage());
                return EXIT_VMM_ERROR;
            }
        }
    }

    /** What the guest left where its serial output cannot show it. */
    private static void showAnswer(Guest guest, Machine machine, RunResult result) {
        switch (guest.answer()) {
            case REGISTERS -> System.out.print("registers after " + result.end().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + ":\n" + result.regs().table());
            case DISPLAY -> System.out.printf("MMIO text display at 0x%x: \"%s\" (%d stores)%n", MemoryMap.MMIO_BASE,
                    machine.display().text(), machine.display().stores());
            case SERIAL -> { }   // printed as it ran
        }
    }

    @Command(name = "guests", description = "List the bundled guest programs.", mixinStandardHelpOptions = true)
    static final class GuestsList implements Callable<Integer> {
        @Option(names = "--listing", paramLabel = "GUEST", description = "print this guest's assembly listing with its bytes")
        String listing;

        @Option(names = "--bytes", paramLabel = "GUEST", description = "write this guest's raw bytes to stdout (for other loaders)")
        String bytes;

        @Option(names = "--mode", paramLabel = "real|protected|long", description = "mode for --listing and --bytes")
        String mode;

        @Override
        public Integer call() {
            try {
                if (bytes != null) {
                    Guest g = Guests.named(bytes);
                    System.out.write(g.assemble(mode == null ? g.defaultMode() : CpuMode.parse(mode)).assemble());
                    System.out.flush();
                    return 0;
                }
                if (listing != null) {
                    Guest g = Guests.named(listing);
                    System.out.print(g.assemble(mode == null ? g.defaultMode() : CpuMode.parse(mode)).listing());
                    return 0;
                }
                for (Guest g : Guests.all()) {
                    String modes = g.modes().stream().map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
                    System.out.printf("%-13s %-20s %s%s%n", g.name(), modes, g.description(),
                            g.needsIrqchip() ? " [irqchip]" : "");
                }
                return 0;
            } catch (IllegalArgumentException | java.io.IOException e) {
                System.err.println("mini vm: " + e.getMessage());
                return EXIT_VMM_ERROR;
            }
        }
    }

    /** Passes the guest's serial output through, remembering whether the last byte ended a line. */
    static final class LineTracker extends java.io.FilterOutputStream {
        private int last = '\n';

        LineTracker(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws java.io.IOException {
            out.write(b);
            last = b;
        }

        boolean midLine() {
            return last != '\n';
        }
    }

    /** "2m", "64M", "1g", "4096k" or a number of bytes. */
    static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1L << 10;
        } else if (t.endsWith("m")) {
            unit = 1L << 20;
        } else if (t.endsWith("g")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long bytes = Long.parseLong(digits) * unit;
            if (bytes < (1L << 20) || bytes % 4096 != 0) {
                throw new IllegalArgumentException("--mem " + text + ": need at least 1m, in whole 4 KiB pages");
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mem " + text + ": not a size (try 2m or 64m)");
        }
    }

    /** For running without mini-cli: java -cp ... dev.minidocker.vmm.cli.VmCommand run hello. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new VmCommand()).execute(args));
    }
}
