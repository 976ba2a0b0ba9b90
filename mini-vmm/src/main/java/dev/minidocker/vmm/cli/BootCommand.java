package dev.minidocker.vmm.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.minidocker.sys.SyscallException;
import dev.minidocker.vmm.boot.DefaultKernel;
import dev.minidocker.vmm.boot.LinuxBoot;
import dev.minidocker.vmm.kvm.VmmException;
import dev.minidocker.vmm.machine.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mini vm boot}: boot a Linux kernel with its console on the serial port. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boot a Linux kernel (bzImage) with its console on the emulated 8250 UART (this terminal).",
            "Without --kernel: the host's /boot/vmlinuz-*, else Debian's kernel as the lab caches it. Without --initrd: "
                + "busybox with an init that starts a shell, or runs --exec and powers off.",
            "Exit status: the guest's (the shell's or the --exec command's), 0 after a reboot, 125 when the VMM "
                + "or the boot fails (one line; a panic shows the last console lines)."})
final class BootCommand implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "BZIMAGE", description = "the kernel (a bzImage, e.g. /boot/vmlinuz-...)")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "an initramfs (cpio, may be compressed) instead of the default one")
    Path initrd;

    @Option(names = "--append", paramLabel = "ARGS",
            description = "more kernel command line after \"" + LinuxBoot.BASE_CMDLINE + "\", e.g. quiet")
    String append;

    @Option(names = "--mem", defaultValue = "256m", paramLabel = "SIZE", description = "guest memory (default 256m, at most 3328m)")
    String mem;

    @Option(names = "--exec", paramLabel = "CMD",
            description = "with the default initramfs: run CMD (sh -c) instead of a shell, print @@MINI-VM-EXIT status@@, power off")
    String exec;

    @Option(names = "--stats", description = "print boot times (first serial byte, init, power-off) and VM exits to stderr")
    boolean stats;

    @Option(names = "--trace-exits", description = "print every VM exit to stderr (a lot)")
    boolean traceExits;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long commandStart = System.currentTimeMillis();
        VmCommand.LineTracker serial = new VmCommand.LineTracker(System.out);
        try {
            if (exec != null && initrd != null) {
                throw new IllegalArgumentException("--exec needs the default initramfs: drop --initrd (or run the command from your own init)");
            }
            Path bzImage = kernel != null ? kernel : DefaultKernel.find(err);
            LinuxBoot.Options options = new LinuxBoot.Options(bzImage, initrd, append, VmCommand.parseSize(mem), exec,
                    traceExits ? err : null);
            LinuxBoot.Result result;
            if (exec == null) {
                try (Terminal t = Terminal.characterMode()) {
                    result = LinuxBoot.boot(options, serial, System.in);
                }
            } else {
                result = LinuxBoot.boot(options, serial, null);
            }
            System.out.flush();
            if (stats) {
                err.println("boot: kernel " + bzImage + ", command line \"" + options.cmdline() + "\"");
                printStats(err, result, jvmStart, commandStart);
            }
            return result.status();
        } catch (VmmException | SyscallException | IllegalArgumentException | java.io.UncheckedIOException e) {
            System.out.flush();
            if (serial.midLine()) {
                err.println();
            }
            err.println("mini vm: " + e.getMessage());
            return VmCommand.EXIT_VMM_ERROR;
        }
    }

    private static void printStats(PrintStream err, LinuxBoot.Result r, long jvmStartMillis, long commandMillis) {
        long vmmStartMillis = System.currentTimeMillis() - (System.nanoTime() - r.started()) / 1_000_000;
        err.printf("boot: JVM start to command     %8.3f s%n", (commandMillis - jvmStartMillis) / 1e3);
        err.printf("boot: kernel read, initramfs   %8.3f s (then the VM is created)%n", (vmmStartMillis - commandMillis) / 1e3);
        err.printf("boot: first serial byte        %8.3f s after the VM was created%n", seconds(r.started(), r.firstByte()));
        err.printf("boot: init running             %8.3f s%n", seconds(r.started(), r.init()));
        err.printf("boot: guest ended              %8.3f s (%s)%n", seconds(r.started(), r.ended()), r.reason());
        err.printf("boot: kernel at 0x%x, entry 0x%x, zero page 0x%x, initrd %d KiB at 0x%x%n",
                0x100000, r.loaded().entry(), r.loaded().zeroPage(), r.loaded().initrdSize() >> 10, r.loaded().initrd());
        r.run().stats().print(err);
        if (r.end() == RunResult.End.RESET) {
            err.println("guest reset the machine: " + r.reason());
        }
    }

    private static double seconds(long from, long to) {
        return to == 0 ? Double.NaN : (to - from) / 1e9;
    }
}
