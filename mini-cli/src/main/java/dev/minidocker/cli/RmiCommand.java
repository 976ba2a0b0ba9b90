package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.image.ImageRemover;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rmi", mixinStandardHelpOptions = true,
        description = "Remove images, and every layer no other image uses.")
final class RmiCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "NAME[:TAG] or an image ID prefix.")
    List<String> images;

    @Override
    public Integer call() {
        Cli.requireRoot("mini rmi");
        ImageRemover remover = new ImageRemover(ImageStore.open(Cli.root()));
        for (String ref : images) {
            remover.remove(ref).forEach(System.out::println);
        }
        return 0;
    }
}
