package dev.minidocker.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mini} command. Every failure ends as one line on stderr, "mini: what failed and
 * why", and the exit codes docker uses: 125 for the runtime's own errors.
 */
@Command(name = "mini",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Build-your-own Docker and KVM monitor, for learning how they work.",
                "Containers need root: run with sudo."},
        subcommands = {
                RunCommand.class,
                PsCommand.class,
                RmCommand.class,
                StatsCommand.class,
                ImagesCommand.class,
                LoadCommand.class,
                RmiCommand.class,
                ImageCommand.class,
                DoctorCommand.class,
                dev.minidocker.vmm.cli.VmCommand.class,
                dev.minidocker.lab.LabCommand.class,
                dev.minidocker.exercises.cli.ChapterCommand.class,
                dev.minidocker.exercises.cli.ExerciseCommand.class,
                dev.minidocker.exercises.cli.BookCommand.class,
                CommandLine.HelpCommand.class,
                TrainClassDataCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (used by tests without exiting). */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.getSubcommands().get("run").setStopAtPositional(true);
        dev.minidocker.lab.LabCommand.stopAtCommand(cli.getSubcommands().get("lab"));
        cli.setParameterExceptionHandler(Main::badUsage);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> Cli.fail(e));
        return cli;
    }

    /** A wrong flag or argument: one line, and where to read more. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String name = e.getCommandLine().getCommandSpec().qualifiedName(" ");
        err.println(name.replaceFirst("^mini", "mini:") + ": " + e.getMessage() + " (see '" + name + " --help')");
        err.flush();
        return Cli.RUNTIME_ERROR;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mini " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
