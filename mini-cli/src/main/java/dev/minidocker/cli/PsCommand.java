package dev.minidocker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", mixinStandardHelpOptions = true, description = "List containers (running ones; -a for all).")
final class PsCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "Show stopped containers too.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only print container IDs.")
    boolean quiet;

    @Override
    public Integer call() {
        List<ContainerState> list = new Containers(Cli.root()).list().stream()
                .filter(s -> all || !ContainerState.STOPPED.equals(s.status())).toList();
        if (quiet) {
            list.forEach(s -> System.out.println(s.shortId()));
            return 0;
        }
        String fmt = "%-12s  %-16s  %-24s  %-14s  %-18s  %s%n";
        System.out.printf(fmt, "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES");
        for (ContainerState s : list) {
            System.out.printf(fmt, s.shortId(), s.image(), quoted(s.command()), ago(s.created()), status(s), s.name());
        }
        return 0;
    }

    private static String quoted(String cmd) {
        String c = cmd == null ? "" : cmd;
        return "\"" + (c.length() > 20 ? c.substring(0, 19) + "…" : c) + "\"";
    }

    private static String status(ContainerState s) {
        if (ContainerState.STOPPED.equals(s.status())) {
            return s.exitCode() == null ? "Exited (unknown)" : "Exited (" + s.exitCode() + ")";
        }
        return s.status().equals(ContainerState.RUNNING) ? "Up (pid " + s.pid() + ")" : "Created";
    }

    static String ago(String created) {
        try {
            Duration d = Duration.between(Instant.parse(created), Instant.now());
            if (d.toMinutes() < 1) return d.toSeconds() + " seconds ago";
            if (d.toHours() < 1) return d.toMinutes() + " minutes ago";
            if (d.toDays() < 1) return d.toHours() + " hours ago";
            return d.toDays() + " days ago";
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
