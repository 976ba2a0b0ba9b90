package dev.minidocker.container.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Applies an image's layers, lowest first, into one directory: the root a container gets where
 * overlayfs is not available. Whiteouts delete what lower layers put there.
 */
public final class Flattener {
    private Flattener() {
    }

    /** Makes {@code target} (created if missing, expected empty) the image's flattened root. */
    public static void flatten(ImageStore store, Image image, Path target, Consumer<String> warn) {
        StoredImage stored = store.readImage(image.id()).orElseThrow(() -> new ImageNotFoundException(image.reference()));
        try {
            Files.createDirectories(target);
            for (StoredImage.Layer l : stored.layers()) {
                Path blob = store.blobOfLayer(Digest.parse(l.diffId()));
                try (InputStream in = new ReadAhead(Compression.decompress(new BufferedInputStream(Files.newInputStream(blob), 1 << 16)))) {
                    LayerUnpacker.unpack(in, target, LayerUnpacker.Whiteouts.APPLY, UnpackLimits.DEFAULT, warn);
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (IOException e) {
            throw new ImageException("flattening " + image.reference() + " into " + target + ": " + Io.describe(e));
        }
    }
}
