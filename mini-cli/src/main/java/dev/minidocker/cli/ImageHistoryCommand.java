package dev.minidocker.cli;

import java.time.Instant;
import java.util.concurrent.Callable;

import dev.minidocker.container.image.ImageHistory;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show how an image was made: its config's history, newest first, with each layer's size.")
final class ImageHistoryCommand implements Callable<Integer> {
    @Option(names = "--no-trunc", description = "Do not shorten the CREATED BY column.")
    boolean noTrunc;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "NAME[:TAG] or an image ID prefix.")
    String image;

    @Override
    public Integer call() {
        System.out.print(new ImageHistory(ImageStore.open(Cli.root())).table(image, Instant.now(), noTrunc));
        return 0;
    }
}
