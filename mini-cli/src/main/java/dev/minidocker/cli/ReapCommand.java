package dev.minidocker.cli;

import java.nio.file.Files;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.DetachedRun;
import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.runtime.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * What conmon runs when a detached container has ended (its --exit-command): the engine's
 * clean-up, then the restart policy: the same container started again under a new monitor.
 */
@Command(name = "__reap", hidden = true, description = "Clean up after a detached container ended (run by its monitor).")
final class ReapCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        Lifecycle life = Engine.lifecycle();
        life.reap(id);
        ContainerState s = life.containers().find(id).orElse(null);
        if (s == null || Files.exists(Lifecycle.stoppedByUser(s))) {
            return 0;
        }
        RunFlags flags = RunFlags.of(s);
        int code = s.exitCode() == null ? -1 : s.exitCode();
        if (RestartPolicy.parse(flags.restart()).restarts(code, s.restarts())) {
            ContainerState again = s.withRestarts(s.restarts() + 1);
            life.containers().save(again);
            DetachedRun.startMonitored(Cli.root(), again, flags.setup(), Cli.monitor(), flags.logSizeMax(), true);
        }
        return 0;
    }
}
