package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
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
        Lifecycle life = Engine.lifecycle();
        int code = 0;
        for (String ref : containers) {
            var found = life.containers().find(ref);
            if (found.isEmpty()) {
                System.err.println("mini: no container \"" + ref + "\" ('./mini ps -a' lists them)");
                code = 1;
                continue;
            }
            try {
                life.remove(found.get(), force);
                System.out.println(found.get().name());
            } catch (RuntimeException e) {
                Cli.fail(e);
                code = 1;
            }
        }
        return code;
    }
}
