package dev.minidocker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.minidocker.container.net.Lease;
import dev.minidocker.container.net.Networking;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.sys.Native;
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
        Map<String, String> ports = publishedPorts();
        Columns table = new Columns("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (ContainerState s : list) {
            table.row(s.shortId(), s.image() == null ? "" : s.image(), quoted(s.command()), ago(s.created()), status(s, Instant.now()),
                    ports.getOrDefault(s.id(), ""), s.name());
        }
        table.print(System.out);
        return 0;
    }

    /** Each container's published ports as docker's ps shows them: 0.0.0.0:8080->80/tcp. */
    private static Map<String, String> publishedPorts() {
        Networking net = new Networking(Cli.root(), Cli.runRoot());
        if (Native.libc().geteuid() == 0) {
            try {
                net.reclaim(); // a killed mini's leftovers go with the next command, this one too
            } catch (RuntimeException e) {
                System.err.println("mini: " + e.getMessage());
            }
        }
        Map<String, String> out = new HashMap<>();
        for (Lease l : net.leases()) {
            out.put(l.container(), l.ports().stream().map(p -> p.hostIp() + ":" + p.hostPort() + "->" + p.containerPort()
                    + "/" + p.protocol()).collect(Collectors.joining(", ")));
        }
        return out;
    }

    private static String quoted(String cmd) {
        String c = cmd == null ? "" : cmd;
        return "\"" + (c.length() > 20 ? c.substring(0, 19) + "…" : c) + "\"";
    }

    // tag::status[]
    /** docker's STATUS column: Up 5 seconds, Exited (3) 2 minutes ago, Created. */
    static String status(ContainerState s, Instant now) {
        if (ContainerState.STOPPED.equals(s.status())) {
            String code = s.exitCode() == null ? "Exited (unknown)" : "Exited (" + s.exitCode() + ")";
            return s.finished() == null ? code : code + " " + humanDuration(s.finished(), now) + " ago";
        }
        if (s.status().equals(ContainerState.RUNNING)) {
            String up = "Up " + humanDuration(s.started() != null ? s.started() : s.created(), now);
            return s.restarts() == 0 ? up : up + " (restarts: " + s.restarts() + ")";
        }
        return "Created";
    }
    // end::status[]

    /** How docker words a duration (its HumanDuration): 5 seconds, About a minute, 3 minutes, About an hour, 2 hours, 3 days. */
    static String humanDuration(String since, Instant now) {
        long sec;
        try {
            sec = Math.max(0, Duration.between(Instant.parse(since), now).toSeconds());
        } catch (RuntimeException e) {
            return "?";
        }
        if (sec < 1) return "Less than a second";
        if (sec == 1) return "1 second";
        if (sec < 60) return sec + " seconds";
        long min = sec / 60;
        if (min == 1) return "About a minute";
        if (min < 60) return min + " minutes";
        long hours = Math.round(sec / 3600.0);
        if (hours == 1) return "About an hour";
        if (hours < 48) return hours + " hours";
        if (hours < 24 * 7 * 2) return hours / 24 + " days";
        if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
        if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
        return hours / 24 / 365 + " years";
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
