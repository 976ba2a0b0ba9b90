package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;

@Command(name = "images", mixinStandardHelpOptions = true, description = "List the images in the local store.")
final class ImagesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Columns table = new Columns("REPOSITORY", "TAG", "IMAGE ID", "LAYERS", "SIZE").alignRight(3).alignRight(4);
        for (Image i : ImageStore.open(Cli.root()).list()) {
            String id = i.id().startsWith("sha256:") ? i.id().substring(7) : i.id();
            table.row(i.name(), i.tag(), id.substring(0, Math.min(12, id.length())), i.layerDirs().size(), humanSize(i.sizeBytes()));
        }
        table.print(System.out);
        return 0;
    }

    static String humanSize(long bytes) {
        if (bytes < 1000) return bytes + "B";
        if (bytes < 1000_000) return String.format("%.1fkB", bytes / 1e3);
        if (bytes < 1000_000_000) return String.format("%.1fMB", bytes / 1e6);
        return String.format("%.2fGB", bytes / 1e9);
    }
}
