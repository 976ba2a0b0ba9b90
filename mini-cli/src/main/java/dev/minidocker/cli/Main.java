package dev.minidocker.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

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
                "Containers need root: run with sudo."})
public final class Main implements Runnable {
    /**
     * The subcommands, in the order --help lists them. Building picocli's model of a command
     * costs reflection over all its options, so a run of one command builds only that one.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("run", RunCommand.class);
        SUBCOMMANDS.put("ps", PsCommand.class);
        SUBCOMMANDS.put("rm", RmCommand.class);
        SUBCOMMANDS.put("logs", LogsCommand.class);
        SUBCOMMANDS.put("exec", ExecCommand.class);
        SUBCOMMANDS.put("stop", StopCommand.class);
        SUBCOMMANDS.put("kill", KillCommand.class);
        SUBCOMMANDS.put("start", StartCommand.class);
        SUBCOMMANDS.put("restart", RestartCommand.class);
        SUBCOMMANDS.put("wait", WaitCommand.class);
        SUBCOMMANDS.put("inspect", InspectCommand.class);
        SUBCOMMANDS.put("container", ContainerCommand.class);
        SUBCOMMANDS.put("volume", VolumeCommand.class);
        SUBCOMMANDS.put("stats", StatsCommand.class);
        SUBCOMMANDS.put("port", PortCommand.class);
        SUBCOMMANDS.put("network", NetworkCommand.class);
        SUBCOMMANDS.put("images", ImagesCommand.class);
        SUBCOMMANDS.put("load", LoadCommand.class);
        SUBCOMMANDS.put("rmi", RmiCommand.class);
        SUBCOMMANDS.put("image", ImageCommand.class);
        SUBCOMMANDS.put("pull", PullCommand.class);
        SUBCOMMANDS.put("push", PushCommand.class);
        SUBCOMMANDS.put("tag", TagCommand.class);
        SUBCOMMANDS.put("login", LoginCommand.class);
        SUBCOMMANDS.put("logout", LogoutCommand.class);
        SUBCOMMANDS.put("save", SaveCommand.class);
        SUBCOMMANDS.put("build", BuildCommand.class);
        SUBCOMMANDS.put("commit", CommitCommand.class);
        SUBCOMMANDS.put("doctor", DoctorCommand.class);
        SUBCOMMANDS.put("vm", dev.minidocker.vmm.cli.VmCommand.class);
        SUBCOMMANDS.put("lab", dev.minidocker.lab.LabCommand.class);
        SUBCOMMANDS.put("chapter", dev.minidocker.exercises.cli.ChapterCommand.class);
        SUBCOMMANDS.put("exercise", dev.minidocker.exercises.cli.ExerciseCommand.class);
        SUBCOMMANDS.put("book", dev.minidocker.exercises.cli.BookCommand.class);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
        SUBCOMMANDS.put("__train-class-data", TrainClassDataCommand.class);
        SUBCOMMANDS.put("__reap", ReapCommand.class);
    }

    /** Commands whose first positional argument ends the options: the rest is the container's command line. */
    private static final java.util.Set<String> STOP_AT_POSITIONAL = java.util.Set.of("run", "exec");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("__runc")) {
            // the mini-runc launcher: the OCI runtime command line in the same jar
            dev.minidocker.cli.runc.RuncMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        dev.minidocker.sys.Trace.mark("cli: JVM started");
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (used by tests without exiting). */
    public static int execute(String... args) {
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
            // most lines need no picocli model (see QuickParse); the rest, --help among them, go to picocli
            java.util.concurrent.Callable<Integer> quick = QuickParse.parse(SUBCOMMANDS.get(args[0]),
                    java.util.Arrays.asList(args).subList(1, args.length), STOP_AT_POSITIONAL.contains(args[0]));
            if (quick != null) {
                try {
                    Integer code = quick.call();
                    return code == null ? 0 : code;
                } catch (Exception e) {
                    return Cli.fail(e);
                }
            }
        }
        CommandLine cli = commandLine(args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")
                ? args[0] : null);
        return cli.execute(args);
    }

    /** The command line with every subcommand. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /** The command line with only {@code only} as subcommand, or all of them if null. */
    static CommandLine commandLine(String only) {
        CommandLine cli = new CommandLine(new Main());
        SUBCOMMANDS.forEach((name, type) -> {
            if (only == null || only.equals(name)) {
                cli.addSubcommand(name, type);
            }
        });
        for (String c : STOP_AT_POSITIONAL) {
            if (cli.getSubcommands().containsKey(c)) {
                cli.getSubcommands().get(c).setStopAtPositional(true);
            }
        }
        if (cli.getSubcommands().containsKey("lab")) {
            dev.minidocker.lab.LabCommand.stopAtCommand(cli.getSubcommands().get("lab"));
        }
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
