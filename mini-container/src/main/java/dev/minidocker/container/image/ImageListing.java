package dev.minidocker.container.image;

import java.util.List;

/** {@code mini images}: one line per image tag, in columns like docker's. */
public final class ImageListing {
    private ImageListing() {
    }

    public static String table(List<Image> images) {
        StringBuilder sb = new StringBuilder();
        String format = "%-30s %-15s %-14s %-7s %s%n";
        sb.append(String.format(format, "REPOSITORY", "TAG", "IMAGE ID", "LAYERS", "SIZE"));
        for (Image i : images) {
            sb.append(String.format(format, i.name(), i.tag(), i.shortId(), i.layerDirs().size(), Progress.size(i.sizeBytes())));
        }
        return sb.toString();
    }
}
