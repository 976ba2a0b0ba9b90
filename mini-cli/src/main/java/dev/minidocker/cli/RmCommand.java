package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Remove stopped containers and their files (-f also stops running ones).")
final class RmCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Kill a running container (SIGKILL) before removing it.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    List<String> containers;

    @Override
    public Integer call() throws InterruptedException {
        Cli.requireRoot("mini rm");
        Containers store = new Containers(Cli.root());
        int code = 0;
        for (String ref : containers) {
            ContainerState s = store.find(ref).orElse(null);
            if (s == null) {
                System.err.println("mini: no container \"" + ref + "\" ('./mini ps -a' lists them)");
                code = 1;
                continue;
            }
            if (!ContainerState.STOPPED.equals(s.status())) {
                if (!force) {
                    System.err.println("mini: container \"" + s.name() + "\" is running: stop it first, or use 'mini rm -f'");
                    code = 1;
                    continue;
                }
                // through the runtime, which checks the PID is still the container's (its start time): a PID
                // recorded by a mini that died long ago may belong to another process by now
                killThroughRuntime(s);
                // the mini that owns it cleans up after its container dies; wait for that
                for (int i = 0; i < 100 && Containers.alive(s.ownerPid()) && store.find(s.id()).isPresent(); i++) {
                    Thread.sleep(50);
                }
                if (store.find(s.id()).isEmpty()) {
                    removeCgroup(s);
                    System.out.println(s.name());
                    continue;
                }
            }
            store.remove(s);
            removeCgroup(s);
            System.out.println(s.name());
        }
        return code;
    }

    private static void killThroughRuntime(ContainerState s) {
        ContainerRuntime runtime = new ContainerRuntime(ForegroundRun.runtimeRoot(Cli.root()));
        try {
            if (runtime.store().exists(s.id()) && runtime.state(s.id()).status() != dev.minidocker.container.runtime.Status.STOPPED) {
                runtime.kill(s.id(), dev.minidocker.sys.Signals.SIGKILL, true);
            }
        } catch (RuntimeException e) {
            // gone meanwhile: nothing to kill
        }
    }

    /** A run killed before its cleanup leaves the runtime's state and the container's cgroup behind: remove them too. */
    private static void removeCgroup(ContainerState s) {
        ContainerRuntime runtime = new ContainerRuntime(ForegroundRun.runtimeRoot(Cli.root()));
        try {
            if (java.nio.file.Files.isDirectory(runtime.store().dir(s.id()))) {
                runtime.delete(s.id(), true);
            }
        } catch (RuntimeException e) {
            System.err.println("mini: " + e.getMessage());
        }
        try {
            Cgroups.remove(s.id());
        } catch (CgroupException e) {
            System.err.println("mini: " + e.getMessage());
        }
    }
}
