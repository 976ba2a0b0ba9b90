package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.runtime.ContainerState;
import picocli.CommandLine.Command;

@Command(name = "container", mixinStandardHelpOptions = true, description = "Manage containers.",
        subcommands = ContainerCommand.Prune.class)
final class ContainerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove every stopped container.")
    static final class Prune implements Callable<Integer> {
        @picocli.CommandLine.Option(names = {"-f", "--force"}, description = "Do not ask (mini never asks; accepted for docker's scripts).")
        boolean force;

        @Override
        public Integer call() throws InterruptedException {
            Cli.requireRoot("mini container prune");
            Lifecycle life = Engine.lifecycle();
            System.out.println("Deleted Containers:");
            for (ContainerState s : life.containers().list()) {
                if (ContainerState.STOPPED.equals(s.status())) {
                    life.remove(s, false);
                    System.out.println(s.id());
                }
            }
            return 0;
        }
    }
}
