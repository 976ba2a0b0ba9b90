package dev.minidocker.container.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image in the local store: its name and tag, its id (the digest of its config), how to run
 * it, and its unpacked layers, lowest first, ready to be stacked by an overlay mount.
 */
public record Image(String name, String tag, String id, ImageConfig config, List<Path> layerDirs, long sizeBytes) {
    public Image {
        layerDirs = List.copyOf(layerDirs);
    }

    public String reference() {
        return name + ":" + tag;
    }

    /** The id as {@code docker images} shows it: 12 hex digits. */
    public String shortId() {
        return Digest.parse(id).shortHex();
    }
}
