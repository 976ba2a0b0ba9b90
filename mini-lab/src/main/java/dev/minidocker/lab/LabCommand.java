package dev.minidocker.lab;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mini lab}: the nested Linux guest (pure cgroup v2, hardware-style KVM) for tests. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "A nested Linux guest under qemu with hardware-style KVM and a chosen cgroup layout.",
        subcommands = {LabCommand.Run.class, LabCommand.Prepare.class})
public final class LabCommand implements Callable<Integer> {

    /** Runs {@code mini lab ...} on its own, before (or without) the mini launcher. */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LabCommand());
        stopAtCommand(cli);
        System.exit(cli.execute(args));
    }

    /**
     * After the first word of COMMAND everything is COMMAND's, so that
     * {@code mini lab run ./mini run --rm busybox echo hi} needs no "--" before it.
     */
    public static void stopAtCommand(CommandLine lab) {
        lab.getSubcommands().get("run").setStopAtPositional(true);
    }

    @Override
    public Integer call() {
        System.err.println("mini lab: say what to do: mini lab run [--cgroup v2|hybrid] -- COMMAND...");
        return 2;
    }

    /** {@code mini lab run [--cgroup v2|hybrid] [--timeout S] [--mem 3072m] -- COMMAND...} */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Boot the lab guest, run COMMAND in the checkout's directory, exit with its status.",
                "The host's root is shared read-only; writes go to RAM and vanish with the guest."})
    public static final class Run implements Callable<Integer> {
        @Option(names = "--cgroup", paramLabel = "v2|hybrid", defaultValue = "v2",
                description = "cgroup layout in the guest: v2 (pure unified, like students' machines) "
                        + "or hybrid (like the build machines); default ${DEFAULT-VALUE}")
        String cgroup;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
                description = "kill the guest after this many seconds (exit 124); default ${DEFAULT-VALUE}")
        long timeoutSeconds;

        @Option(names = "--mem", paramLabel = "SIZE", defaultValue = "3072m",
                description = "guest memory, e.g. 3072m or 4g; default ${DEFAULT-VALUE}")
        String memory;

        @Option(names = "--cpus", paramLabel = "N", defaultValue = "1",
                description = "virtual CPUs of the guest; default ${DEFAULT-VALUE}")
        int cpus;

        @Option(names = "--stats", description = "print how long the boot and the command took")
        boolean stats;

        @Option(names = {"-v", "--verbose"}, description = "show the whole console: firmware, kernel, init")
        boolean verbose;

        @Option(names = {"-i", "--interactive"},
                description = "connect this terminal to COMMAND (e.g. a shell); Ctrl-A x stops the guest")
        boolean interactive;

        @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "the command and its arguments")
        List<String> command;

        @Override
        public Integer call() {
            LabOptions options;
            try {
                if (cpus < 1 || cpus > 64) {
                    throw new IllegalArgumentException("--cpus must be between 1 and 64");
                }
                if (timeoutSeconds <= 0) {
                    throw new IllegalArgumentException("--timeout must be a positive number of seconds");
                }
                options = new LabOptions(CgroupMode.parse(cgroup), Duration.ofSeconds(timeoutSeconds),
                        LabOptions.parseMemory(memory), cpus, stats, verbose, interactive);
            } catch (IllegalArgumentException e) {
                System.err.println("mini lab: " + e.getMessage());
                return 2;
            }
            return Lab.fromEnvironment().run(options, command, System.out, System.err);
        }
    }

    /** {@code mini lab prepare}: fetch the kernel and build the initramfs now (CI does it before timing). */
    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Fetch the kernel and build the initramfs into the cache, without booting.")
    public static final class Prepare implements Callable<Integer> {
        @Override
        public Integer call() {
            try {
                Lab lab = Lab.fromEnvironment();
                LabImage image = lab.prepare(System.err);
                System.out.println("kernel " + image.kernelRelease() + ": " + image.kernel());
                System.out.println("initramfs: " + image.initramfs());
                return 0;
            } catch (LabException e) {
                System.err.println("mini lab: " + e.getMessage());
                return 125;
            }
        }
    }
}
