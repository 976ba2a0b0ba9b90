package dev.minidocker.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.LayersInUse;
import dev.minidocker.container.image.ImageRemover;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rmi", mixinStandardHelpOptions = true,
        description = {"Remove images, and every layer no other image uses.",
                "An image a container uses (running or stopped) is refused; -f only untags it, and no layer",
                "a container stands on is ever deleted."})
final class RmiCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Untag an image even though a container uses it (its layers stay).")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "NAME[:TAG] or an image ID prefix.")
    List<String> images;

    @Override
    public Integer call() {
        Cli.requireRoot("mini rmi");
        ImageRemover remover = new ImageRemover(ImageStore.open(Cli.root()));
        for (String ref : images) {
            remover.remove(ref, force, LayersInUse.of(Cli.root())).forEach(System.out::println);
        }
        return 0;
    }
}
