package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop containers (as 'mini stop'), then start them again.")
final class RestartCommand implements Callable<Integer> {
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
        Cli.requireRoot("mini restart");
        Lifecycle life = Engine.lifecycle();
        int code = 0;
        for (String ref : containers) {
            try {
                StartCommand.start(life, life.stop(life.find(ref), seconds));
                System.out.println(ref);
            } catch (RuntimeException e) {
                code = Cli.fail(e);
            }
        }
        return code;
    }
}
