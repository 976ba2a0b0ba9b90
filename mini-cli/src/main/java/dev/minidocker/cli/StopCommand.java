package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.runtime.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop running containers: SIGTERM to PID 1, then SIGKILL after the timeout.",
                "A PID 1 ignores signals it has no handler for (sh, sleep do): such a container only ends with SIGKILL."})
final class StopCommand implements Callable<Integer> {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds to wait after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    List<String> containers;

    @Override
    public Integer call() throws InterruptedException {
        if (seconds < 0) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--time must be 0 or more seconds, got " + seconds);
        }
        Cli.requireRoot("mini stop");
        Lifecycle life = Engine.lifecycle();
        int code = 0;
        for (String ref : containers) {
            try {
                ContainerState s = life.find(ref);
                life.stop(s, seconds);
                System.out.println(ref);
            } catch (RuntimeException e) {
                code = Cli.fail(e);
            }
        }
        return code;
    }
}
