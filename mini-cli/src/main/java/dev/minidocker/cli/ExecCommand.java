package dev.minidocker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.ExecProcess;
import dev.minidocker.container.runtime.TerminalRelay;
import dev.minidocker.container.spec.ContainerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command in a running container: its namespaces, cgroup and root.",
                "A thread of mini joins them (setns) and spawns the command there itself: no JVM ever",
                "appears inside the container. Exit status: the command's (125: mini failed)."})
final class ExecCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interactive"}, description = "Keep stdin attached (without it the command reads /dev/null).")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-terminal of the container's devpts: the command's controlling"
            + " terminal and stdio (with -i, mini's stdin must be a terminal).")
    boolean tty;

    @Option(names = {"-d", "--detach"}, description = "Do not wait for the command.")
    boolean detach;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable. Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside (default: the container's).")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "A name from the container's /etc/passwd, or UID[:GID].")
    String user;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    String ref;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        if (tty && interactive && !dev.minidocker.sys.Pty.isTerminal(0)) {
            throw new Cli.CliError(1, "the input device is not a TTY"); // docker's words and status
        }
        if (tty && detach) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "-d with -t is not supported yet: a detached exec has nobody to hold its terminal");
        }
        if (workdir != null && !workdir.startsWith("/")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "the working directory must be absolute, got \"" + workdir + "\"");
        }
        for (String e : env) {
            if (e.indexOf('=') <= 0) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "bad environment variable \"" + e + "\": use KEY=VALUE");
            }
        }
        Cli.requireRoot("mini exec");
        Lifecycle life = Engine.lifecycle();
        ContainerState s = life.find(ref);
        if (!ContainerState.RUNNING.equals(s.status())) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "container " + s.name() + " is not running: 'mini start " + s.name() + "' first");
        }
        ContainerRuntime runtime = new ContainerRuntime(ForegroundRun.runtimeRoot(Cli.root()));
        ContainerSpec.Process base = runtime.spec(s.id()).process();
        List<String> vars = new ArrayList<>(base.env() == null ? List.of() : base.env());
        vars.addAll(env);
        ContainerSpec.User u = user == null ? base.user() : user(s.pid(), user);
        int[] size = tty ? TerminalRelay.currentWindowSize() : null;
        // tag::exec[]
        ContainerSpec.Process p = new ContainerSpec.Process(tty, size == null ? null : new ContainerSpec.ConsoleSize(size[0], size[1]),
                u, command, vars, workdir != null ? workdir : base.cwd(), base.capabilities(), base.rlimits(),
                base.noNewPrivileges(), base.apparmorProfile(), base.oomScoreAdj(), base.selinuxLabel());
        if (!tty) {
            ExecProcess e = runtime.exec(s.id(), p, null, detach, interactive);
            return detach ? 0 : e.await();
        }
        try (TerminalRelay relay = TerminalRelay.listen()) {       // the same relay as run -t's
            ExecProcess e = runtime.exec(s.id(), p, null, false, interactive, relay.socketPath());
            relay.start(interactive);
            return e.await();
        }
        // end::exec[]
    }

    /** -u: a name looked up in the container's own /etc/passwd (through /proc/PID/root), or numbers. */
    static ContainerSpec.User user(int pid, String spec) {
        String[] parts = spec.split(":", 2);
        long uid;
        long gid = 0;
        if (parts[0].matches("[0-9]+")) {
            uid = Long.parseLong(parts[0]);
        } else {
            String[] entry = passwd(pid, parts[0]);
            uid = Long.parseLong(entry[2]);
            gid = Long.parseLong(entry[3]);
        }
        if (parts.length > 1) {
            if (!parts[1].matches("[0-9]+")) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "-u " + spec + ": give the group as a number (GID)");
            }
            gid = Long.parseLong(parts[1]);
        }
        return new ContainerSpec.User(uid, gid, null, null);
    }

    private static String[] passwd(int pid, String name) {
        Path f = Path.of("/proc/" + pid + "/root/etc/passwd");
        try {
            for (String line : Files.readAllLines(f)) {
                String[] e = line.split(":");
                if (e.length >= 4 && e[0].equals(name)) {
                    return e;
                }
            }
        } catch (IOException e) {
            // no passwd file in the image
        }
        throw new Cli.CliError(Cli.RUNTIME_ERROR, "unable to find user " + name + ": no matching entries in the container's /etc/passwd");
    }
}
