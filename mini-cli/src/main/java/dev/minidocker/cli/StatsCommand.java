package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.cgroup.Cgroup;
import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show the memory (current, peak), CPU time and pids of running containers,",
                "read from their cgroups."})
final class StatsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    List<String> containers;

    @Override
    public Integer call() {
        Cli.requireRoot("mini stats");
        Containers store = new Containers(Cli.root());
        int code = 0;
        for (String ref : containers) {
            ContainerState s = store.find(ref).orElse(null);
            if (s == null) {
                System.err.println("mini: no container \"" + ref + "\" ('./mini ps' lists them)");
                code = 1;
                continue;
            }
            try {
                Cgroup cgroup = Cgroups.find(s.id()).orElse(null);
                if (cgroup == null) {
                    System.err.println("mini: container \"" + s.name() + "\" has no cgroup (it is " + s.status() + ")");
                    code = 1;
                    continue;
                }
                System.out.println(s.name() + ": " + cgroup.stats().describe());
            } catch (CgroupException e) {
                System.err.println("mini: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }
}
