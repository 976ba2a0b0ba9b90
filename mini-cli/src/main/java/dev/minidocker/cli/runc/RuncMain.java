package dev.minidocker.cli.runc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

import com.google.gson.Gson;

import dev.minidocker.container.runtime.ContainerRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mini-runc}: the OCI runtime command line, as runc's, for what engines call (podman
 * through conmon, containerd's shim, dockerd). Errors are one line on stderr and, with
 * {@code --log}, a line in the log file (JSON lines {"level","msg","time"} with
 * {@code --log-format json}, which is how podman and containerd read a runtime's errors).
 */
@Command(name = "mini-runc", mixinStandardHelpOptions = true, versionProvider = RuncMain.Version.class,
        description = {"The mini-docker OCI runtime: runs containers from OCI bundles, as runc does.",
                "Engines call it: podman --runtime ./mini-runc, ctr run --runc-binary ./mini-runc,",
                "dockerd --add-runtime mini=./mini-runc."},
        subcommands = {RuncCommands.Create.class, RuncCommands.Start.class, RuncCommands.State.class,
                RuncCommands.Kill.class, RuncCommands.Delete.class, RuncCommands.Run.class, RuncCommands.Exec.class,
                RuncCommands.ListContainers.class, RuncCommands.Ps.class, RuncCommands.Features.class,
                RuncCommands.Spec.class, CommandLine.HelpCommand.class})
public final class RuncMain implements Runnable {
    @Option(names = "--root", paramLabel = "DIR", description = "Where container state lives (default: /run/mini-runc).")
    Path root = Path.of("/run/mini-runc");

    @Option(names = "--log", paramLabel = "FILE", description = "Also write errors (and with --debug, progress) to FILE.")
    Path log;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Format of --log lines (default: text).")
    String logFormat = "text";

    @Option(names = "--debug", description = "Log what each command does.")
    boolean debug;

    @Option(names = "--systemd-cgroup", description = "Use systemd for cgroups: not supported, refused with an error.")
    boolean systemdCgroup;

    @Option(names = "--rootless", paramLabel = "true|false|auto", description = "Accepted for compatibility; mini-runc runs as root.")
    String rootless;

    @Option(names = "--criu", paramLabel = "PATH", description = "Accepted for compatibility; checkpoints are not supported.", hidden = true)
    String criu;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static RuncMain current;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        RuncMain main = new RuncMain();
        current = main;
        // most lines need no picocli model (see QuickParse); the rest, --help among them, go to picocli
        java.util.concurrent.Callable<Integer> quick = dev.minidocker.cli.QuickParse.parseSubcommand(main,
                java.util.Arrays.asList(args), java.util.Set.of("exec"));
        if (quick != null) {
            try {
                main.refuseSystemdCgroup();
                Integer code = quick.call();
                return code == null ? 0 : code;
            } catch (Exception e) {
                return main.fail(message(e));
            }
        }
        main = new RuncMain(); // picocli starts from the defaults again
        current = main;
        RuncMain m = main;
        CommandLine cli = new CommandLine(main);
        cli.setExecutionStrategy(parsed -> {
            m.refuseSystemdCgroup();
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setParameterExceptionHandler((e, a) -> m.fail("mini-runc: " + e.getMessage() + " (see 'mini-runc --help')"));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> m.fail(message(e)));
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.setStopAtPositional(sub.getCommandName().equals("exec"));
        }
        return cli.execute(args);
    }

    private void refuseSystemdCgroup() {
        if (systemdCgroup) {
            throw new RuncError("--systemd-cgroup: systemd cgroups are not supported; use the cgroupfs manager"
                    + " (podman --cgroup-manager cgroupfs, dockerd --exec-opt native.cgroupdriver=cgroupfs)");
        }
    }

    static RuncMain current() {
        return current;
    }

    ContainerRuntime runtime() {
        return new ContainerRuntime(root);
    }

    /** The one line an error becomes: on stderr, and in --log. */
    int fail(String line) {
        System.err.println(line.startsWith("mini-runc:") ? line : "mini-runc: " + line);
        writeLog("error", line);
        return 1;
    }

    void debug(String msg) {
        if (debug) {
            writeLog("debug", msg);
        }
    }

    private void writeLog(String level, String msg) {
        if (log == null) {
            return;
        }
        String line = "json".equals(logFormat)
                ? new Gson().toJson(Map.of("level", level, "msg", msg, "time", Instant.now().toString()))
                : Instant.now() + " " + level + ": " + msg;
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("mini-runc: cannot write the log " + log + ": " + e.getMessage());
        }
    }

    private static String message(Exception e) {
        if (e instanceof RuncError) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A failure with a message meant for the user. */
    static final class RuncError extends RuntimeException {
        RuncError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RuncMain.class.getPackage().getImplementationVersion();
            return new String[] {"mini-runc version " + (v == null ? "0.1.0" : v.replace("-SNAPSHOT", "")),
                    "spec: " + dev.minidocker.container.spec.ContainerSpec.OCI_VERSION};
        }
    }
}
