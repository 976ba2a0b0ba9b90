package dev.minidocker.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageLoader;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load images from a docker-save archive, an OCI image layout directory or an OCI archive.",
                "Layers may be plain tar, gzip or zstd; every digest is checked; a failed or interrupted load",
                "leaves the store as it was."})
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME[:TAG]", description = "Name for images that carry none (e.g. an OCI layout with only a tag).")
    String name;

    @Parameters(index = "0", paramLabel = "FILE", description = "The archive or layout directory.")
    Path source;

    @Override
    public Integer call() {
        Cli.requireRoot("mini load");
        List<Image> loaded = new ImageLoader(ImageStore.open(Cli.root()), System.err).load(source, name);
        for (Image i : loaded) {
            System.out.println("Loaded image: " + i.reference());
        }
        return 0;
    }
}
