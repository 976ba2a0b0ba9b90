package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.DetachedRun;
import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.runtime.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start stopped containers again, in the background (as 'run -d' does): the same",
                "filesystem (its upper layer kept what it wrote), the same command, network and name."})
final class StartCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    List<String> containers;

    @Override
    public Integer call() throws InterruptedException {
        Cli.requireRoot("mini start");
        Lifecycle life = Engine.lifecycle();
        int code = 0;
        for (String ref : containers) {
            try {
                start(life, life.find(ref));
                System.out.println(ref);
            } catch (RuntimeException e) {
                code = Cli.fail(e);
            }
        }
        return code;
    }

    static void start(Lifecycle life, ContainerState s) throws InterruptedException {
        if (!ContainerState.STOPPED.equals(s.status())) {
            return; // running already: nothing to do, as docker
        }
        s = life.await(s); // a clean-up still due (a killed monitor's) is done first
        RunFlags flags = RunFlags.of(s);
        DetachedRun.startMonitored(Cli.root(), s, flags.setup(), Cli.monitor(), flags.logSizeMax(), true);
    }
}
