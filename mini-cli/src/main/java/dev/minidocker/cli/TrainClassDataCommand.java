package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.runtime.ClassDataTraining;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Hidden: run by the launcher once after a build under -XX:ArchiveClassesAtExit, so that
 * every later {@code mini} starts from pre-parsed classes. Touches the run path, creates nothing.
 */
@Command(name = "__train-class-data", hidden = true)
final class TrainClassDataCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        QuickParse.parse(RunCommand.class, java.util.List.of("--rm", "--name", "n", "-e", "A=B", "-w", "/", "busybox", "true"), true);
        QuickParse.parse(PsCommand.class, java.util.List.of("-a"), false);
        CommandLine cli = Main.commandLine();
        cli.parseArgs("run", "--rm", "--name", "n", "-e", "A=B", "-w", "/", "busybox", "true");
        cli.parseArgs("ps", "-a");
        ClassDataTraining.runtime();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mini-cds-store");
        try {
            ImageStore store = ImageStore.open(dir);
            store.list();
            store.find("busybox");
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
        return 0;
    }
}
