package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.runtime.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait until containers stop, then print their exit codes.")
final class WaitCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    List<String> containers;

    @Override
    public Integer call() throws InterruptedException {
        Cli.requireRoot("mini wait");
        Lifecycle life = Engine.lifecycle();
        int code = 0;
        for (String ref : containers) {
            try {
                ContainerState s = life.await(life.find(ref));
                System.out.println(s.exitCode() == null ? -1 : s.exitCode());
            } catch (RuntimeException e) {
                code = Cli.fail(e);
            }
        }
        return code;
    }
}
