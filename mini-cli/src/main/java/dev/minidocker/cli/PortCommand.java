package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.net.Lease;
import dev.minidocker.container.net.Networking;
import dev.minidocker.container.net.PortMapping;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "port", mixinStandardHelpOptions = true,
        description = "List a container's published ports (80/tcp -> 0.0.0.0:8080), or the host address of one.")
final class PortCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT[/PROTO]", description = "Only this container port.")
    String port;

    @Override
    public Integer call() {
        Cli.requireRoot("mini port");
        ContainerState s = new Containers(Cli.root()).find(container).orElseThrow(() ->
                new Cli.CliError(1, "no container \"" + container + "\" ('mini ps' lists them)"));
        Networking net = new Networking(Cli.root(), Cli.runRoot());
        net.reclaim();
        List<PortMapping> ports = net.lease(s.id()).map(Lease::ports).orElse(List.of());
        if (port == null) {
            ports.forEach(System.out::println);
            return 0;
        }
        String wanted = port.contains("/") ? port : port + "/tcp";
        List<PortMapping> match = ports.stream().filter(p -> (p.containerPort() + "/" + p.protocol()).equals(wanted)).toList();
        if (match.isEmpty()) {
            throw new Cli.CliError(1, "no public port '" + wanted + "' published for " + s.name());
        }
        match.forEach(p -> System.out.println(p.hostIp() + ":" + p.hostPort()));
        return 0;
    }
}
