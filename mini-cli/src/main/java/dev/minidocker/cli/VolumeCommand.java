package dev.minidocker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Volumes;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.spec.ContainerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "volume", mixinStandardHelpOptions = true,
        description = {"Named volumes: directories under the store that containers mount (-v NAME:/path)",
                "and that outlive them."},
        subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Inspect.class,
                VolumeCommand.Rm.class, VolumeCommand.Prune.class})
final class VolumeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static Volumes volumes() {
        Cli.requireRoot("mini volume");
        return new Volumes(Cli.root());
    }

    /** The names of the volumes that some container (running or not) mounts. */
    static List<String> inUse(Volumes v) {
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (ContainerState s : new Containers(Cli.root()).list()) {
            Path config = Path.of(s.bundle()).resolve("config.json");
            if (!Files.isRegularFile(config)) {
                continue;
            }
            for (ContainerSpec.Mount m : SpecFile.read(config, ContainerSpec.class).mounts()) {
                for (String name : v.list()) {
                    if (v.mountpoint(name).toString().equals(m.source())) {
                        used.add(name);
                    }
                }
            }
        }
        return List.copyOf(used);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a volume (run -v NAME:/path also does).")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            volumes().create(name);
            System.out.println(name);
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List volumes.")
    static final class Ls implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.printf("%-8s  %s%n", "DRIVER", "VOLUME NAME");
            for (String n : volumes().list()) {
                System.out.printf("%-8s  %s%n", "local", n);
            }
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print volumes as JSON.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            Volumes v = volumes();
            List<Object> out = new java.util.ArrayList<>();
            for (String n : names) {
                if (!v.exists(n)) {
                    throw new Cli.CliError(Cli.RUNTIME_ERROR, "no such volume: " + n + " ('mini volume ls' lists them)");
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Name", n);
                m.put("Driver", "local");
                m.put("Mountpoint", v.mountpoint(n).toString());
                out.add(m);
            }
            System.out.println(SpecFile.toJson(out));
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove volumes no container uses.")
    static final class Rm implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            Volumes v = volumes();
            List<String> used = inUse(v);
            int code = 0;
            for (String n : names) {
                if (used.contains(n)) {
                    System.err.println("mini: volume " + n + " is in use by a container: remove the container first");
                    code = Cli.RUNTIME_ERROR;
                    continue;
                }
                v.remove(n);
                System.out.println(n);
            }
            return code;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove every volume no container uses.")
    static final class Prune implements Callable<Integer> {
        @picocli.CommandLine.Option(names = {"-f", "--force"}, description = "Do not ask (mini never asks).")
        boolean force;

        @Override
        public Integer call() {
            Volumes v = volumes();
            List<String> used = inUse(v);
            System.out.println("Deleted Volumes:");
            for (String n : v.list()) {
                if (!used.contains(n)) {
                    v.remove(n);
                    System.out.println(n);
                }
            }
            return 0;
        }
    }
}
