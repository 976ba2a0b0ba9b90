package dev.minidocker.cli;

import dev.minidocker.container.engine.Lifecycle;

/** The engine's lifecycle for this store, as the container commands share it. */
final class Engine {
    private Engine() {
    }

    static Lifecycle lifecycle() {
        return new Lifecycle(Cli.root(), Cli.runRoot());
    }
}
