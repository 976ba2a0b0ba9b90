package dev.minidocker.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** What conmon runs when a detached container has ended (its --exit-command): the engine's clean-up. */
@Command(name = "__reap", hidden = true, description = "Clean up after a detached container ended (run by its monitor).")
final class ReapCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        Engine.lifecycle().reap(id);
        return 0;
    }
}
