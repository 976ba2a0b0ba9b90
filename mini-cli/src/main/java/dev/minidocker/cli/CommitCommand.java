package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.build.Committer;
import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "commit", mixinStandardHelpOptions = true,
        description = "Make an image of a stopped container: its changes become one layer on top of its image's.")
final class CommitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Name or ID of a stopped container (run without --rm).")
    String container;

    @Parameters(index = "1", paramLabel = "NAME[:TAG]", description = "The new image's name.")
    String name;

    @Override
    public Integer call() {
        if (!ImageReference.isValid(name)) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "invalid image name \"" + name + "\": use NAME[:TAG] in lower case");
        }
        Cli.requireRoot("mini commit");
        Digest id = Committer.commit(Cli.root(), container, ImageReference.parse(name), System.err);
        System.out.println(id);
        return 0;
    }
}
