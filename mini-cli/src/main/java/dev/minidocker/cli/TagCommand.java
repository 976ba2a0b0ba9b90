package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.image.ImageReference;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag", mixinStandardHelpOptions = true, description = "Give an image another name (for example, one naming a registry to push to).")
final class TagCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "NAME[:TAG] or an image ID prefix.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new NAME[:TAG].")
    String target;

    @Override
    public Integer call() {
        ImageStore store = ImageStore.open(Cli.root());
        store.tag(store.get(source), ImageReference.parse(target));
        return 0;
    }
}
