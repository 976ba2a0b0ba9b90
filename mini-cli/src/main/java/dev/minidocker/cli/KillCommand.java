package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.sys.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal to the PID 1 of running containers.")
final class KillCommand implements Callable<Integer> {
    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", defaultValue = "KILL",
            description = "A name (TERM, SIGHUP) or number (default: ${DEFAULT-VALUE}).")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    List<String> containers;

    @Override
    public Integer call() {
        int sig = Signals.parse(signal);
        Cli.requireRoot("mini kill");
        Lifecycle life = Engine.lifecycle();
        int code = 0;
        for (String ref : containers) {
            try {
                life.kill(life.find(ref), sig);
                System.out.println(ref);
            } catch (RuntimeException e) {
                code = Cli.fail(e);
            }
        }
        return code;
    }
}
