package dev.minidocker.container.image;

import java.util.List;

/**
 * What the store keeps about one image (in {@code images/<id>.json}): its id, its manifest and,
 * per layer, the blob it came from and the unpacked directory's digest.
 */
record StoredImage(String id, String manifest, List<Layer> layers) {
    /** One layer: {@code diffId} names the unpacked directory, {@code digest} the blob as loaded. */
    record Layer(String diffId, String digest, String mediaType, long size, long unpackedBytes) {
    }

    long unpackedBytes() {
        return layers.stream().mapToLong(Layer::unpackedBytes).sum();
    }
}
