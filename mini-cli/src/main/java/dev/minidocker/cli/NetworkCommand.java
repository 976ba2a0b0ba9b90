package dev.minidocker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;

import dev.minidocker.container.net.Lease;
import dev.minidocker.container.net.Network;
import dev.minidocker.container.net.Networking;
import dev.minidocker.container.net.Subnet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "network", mixinStandardHelpOptions = true,
        description = {"Manage networks: bridges on the host that containers join with --network NAME.",
                "The default network \"bridge\" (host bridge mini0) exists from first use."},
        subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class,
                NetworkCommand.Rm.class})
final class NetworkCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Where networks and leases live; tests point them at directories of their own. */
    Path root = Cli.root();
    Path runRoot = Cli.runRoot();

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    Networking networking() {
        Cli.requireRoot("mini network");
        return new Networking(root, runRoot);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a network; prints its ID. Its bridge is made when the first container joins.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Option(names = "--subnet", paramLabel = "CIDR",
                description = "Subnet in CIDR form, e.g. 10.66.5.0/24 (default: the first free /24 of 10.66.0.0/15 "
                        + "that no route of the host and no other network uses).")
        String subnet;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Network n = parent.networking().createNetwork(name, subnet == null ? null : Subnet.parse(subnet));
            System.out.println(n.id());
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List networks.")
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Override
        public Integer call() {
            Networking net = parent.networking();
            net.reclaim();
            net.network(Network.DEFAULT); // always there, as docker's "bridge"
            System.out.printf("%-12s   %-16s %-8s %-18s %s%n", "NETWORK ID", "NAME", "DRIVER", "SUBNET", "BRIDGE");
            for (Network n : net.networks().all()) {
                System.out.printf("%-12s   %-16s %-8s %-18s %s%n", n.id().substring(0, 12), n.name(), n.driver(),
                        n.subnet(), n.bridge());
            }
            // the modes of --network that are no network of their own, listed as docker lists them
            System.out.printf("%-12s   %-16s %-8s %-18s %s%n", "(built in)", "host", "host", "-", "-");
            System.out.printf("%-12s   %-16s %-8s %-18s %s%n", "(built in)", "none", "null", "-", "-");
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print networks as JSON: subnet, gateway, bridge and the containers on them.")
    static final class Inspect implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            Networking net = parent.networking();
            net.reclaim();
            List<Object> out = new ArrayList<>();
            for (String name : names) {
                Network n = net.network(name);
                Map<String, Object> containers = new LinkedHashMap<>();
                for (Lease l : net.leases()) {
                    if (l.network().equals(n.name())) {
                        containers.put(l.container(), Map.of("Name", l.name() == null ? "" : l.name(),
                                "IPv4Address", l.address() + "/" + n.cidr().prefixLength()));
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Name", n.name());
                m.put("Id", n.id());
                m.put("Created", n.created());
                m.put("Driver", n.driver());
                m.put("IPAM", Map.of("Config", List.of(Map.of("Subnet", n.subnet(), "Gateway", n.gateway()))));
                m.put("Containers", containers);
                m.put("Options", Map.of("com.docker.network.bridge.name", n.bridge()));
                out.add(m);
            }
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = "Remove networks no container is on, and their bridges.")
    static final class Rm implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            Networking net = parent.networking();
            int code = 0;
            for (String name : names) {
                try {
                    net.removeNetwork(name);
                    System.out.println(name);
                } catch (IllegalArgumentException e) {
                    System.err.println("mini: " + e.getMessage());
                    code = 1;
                }
            }
            return code;
        }
    }
}
