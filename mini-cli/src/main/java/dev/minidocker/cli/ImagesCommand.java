package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;

@Command(name = "images", mixinStandardHelpOptions = true, description = "List the images in the local store.")
final class ImagesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        String fmt = "%-24s  %-10s  %-12s  %6s  %10s%n";
        System.out.printf(fmt, "REPOSITORY", "TAG", "IMAGE ID", "LAYERS", "SIZE");
        for (Image i : ImageStore.open(Cli.root()).list()) {
            String id = i.id().startsWith("sha256:") ? i.id().substring(7) : i.id();
            System.out.printf(fmt, i.name(), i.tag(), id.substring(0, Math.min(12, id.length())),
                    i.layerDirs().size(), humanSize(i.sizeBytes()));
        }
        return 0;
    }

    static String humanSize(long bytes) {
        if (bytes < 1000) return bytes + "B";
        if (bytes < 1000_000) return String.format("%.1fkB", bytes / 1e3);
        if (bytes < 1000_000_000) return String.format("%.1fMB", bytes / 1e6);
        return String.format("%.2fGB", bytes / 1e9);
    }
}
