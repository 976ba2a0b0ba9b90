package dev.minidocker.container.image;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One image brought into the store from outside the image package (a registry pull): the same
 * {@link StoreTransaction} and {@link LayerIngest} that {@code mini load} uses, so a pulled image is
 * stored exactly as a loaded one and an interrupted pull leaves the store as it was.
 *
 * <p>Layers may be unpacked on several threads at once; the image lists them in the order given
 * to {@link #addImage}.
 */
public final class ImageImport implements AutoCloseable {
    /** Where a layer's blob is; asked only when the layer is not in the store yet. */
    public interface BlobSource {
        Path get() throws IOException;
    }

    private final ImageStore store;
    private final StoreTransaction tx;
    private final Progress progress;
    private final UnpackLimits limits;

    /** A layer unpacked (or found present) and checked, to be listed in an image. */
    public static final class Layer {
        private final StoredImage.Layer stored;

        private Layer(StoredImage.Layer stored) {
            this.stored = stored;
        }
    }

    public ImageImport(ImageStore store, PrintStream progress) {
        this.store = store;
        this.tx = new StoreTransaction(store);
        this.progress = new Progress(progress);
        this.limits = UnpackLimits.DEFAULT;
    }

    /** True when a layer with this diff_id is unpacked already (its blob need not be fetched). */
    public boolean hasLayer(Digest diffId) {
        return tx.hasLayer(diffId);
    }

    public boolean hasBlob(Digest digest) {
        return tx.hasBlob(digest);
    }

    /** A fresh path in the staging directory (not created), removed with it if the import fails. */
    public Path newFile(String hint) {
        return tx.newPath(hint);
    }

    /** Unpacks a layer (or finds it present), checking the blob's digest and its diff_id. Any thread. */
    public Layer layer(BlobSource blob, Digest blobDigest, Digest diffId, String what) throws IOException {
        if (tx.hasLayer(diffId) && !tx.hasBlob(blobDigest)) {
            // unpacked already, from another blob (a docker-archive's plain tar): keep this one too,
            // so that the image's own manifest names only blobs the store has (for push and save)
            Path file = blob.get();
            if (file != null) {
                blobDigest.verify(Digest.ofFile(file), what);
                tx.stageBlob(blobDigest, file);
            }
        }
        return new Layer(LayerIngest.ingest(tx, blob::get, blobDigest, diffId, what, progress, limits));
    }

    /** A layer the store has already (of a base image, or made by a build step), to be listed in a new image. */
    public Layer present(Digest diffId) throws IOException {
        if (!tx.hasLayer(diffId)) {
            throw new ImageException("layer " + diffId + " is not in the store at " + store.root());
        }
        Path blob = store.blobOfLayer(diffId);
        Digest digest = new Digest("sha256", blob.getFileName().toString());
        return new Layer(new StoredImage.Layer(diffId.toString(), digest.toString(), LayerIngest.mediaType(blob),
                java.nio.file.Files.size(blob), tx.layerBytes(diffId)));
    }

    /** True when the layer is unpacked and its blob {@code blobDigest} is stored too: nothing to fetch. */
    public boolean hasLayerAndBlob(Digest diffId, Digest blobDigest) {
        return tx.hasLayer(diffId) && tx.hasBlob(blobDigest);
    }

    /** Stages a small blob (a config or a manifest), checking it is what {@code digest} says. */
    public void addBlob(Digest digest, byte[] bytes) throws IOException {
        digest.verify(Digest.of(bytes), "blob " + digest.shortHex());
        if (!tx.hasBlob(digest)) {
            tx.addBlob(digest, bytes);
        }
    }

    /** Records the image (config digest = its id) with its manifest and its layers, lowest first, under {@code tags}. */
    public void addImage(Digest config, Digest manifest, List<Layer> layers, List<ImageReference> tags) {
        List<StoredImage.Layer> stored = new ArrayList<>();
        layers.forEach(l -> stored.add(l.stored));
        tx.addImage(new StoredImage(config.toString(), manifest.toString(), stored), tags);
    }

    /**
     * An image made here ({@code mini build}, {@code mini commit}): its config (whose diff_ids must
     * be the layers'), an OCI manifest naming the layers' stored blobs, and the record; its id.
     */
    public Digest addImage(byte[] config, List<Layer> layers, List<ImageReference> tags) throws IOException {
        List<Digest> diffIds = ConfigJson.diffIds(ConfigJson.parse(config, "the new image's config"), "the new image's config");
        List<StoredImage.Layer> stored = new ArrayList<>();
        layers.forEach(l -> stored.add(l.stored));
        if (!diffIds.equals(stored.stream().map(l -> Digest.parse(l.diffId())).toList())) {
            throw new ImageException("the new image's config does not list its layers' diff_ids");
        }
        Digest configDigest = Digest.of(config);
        addBlob(configDigest, config);
        byte[] manifest = ImageStore.GSON.toJson(DefaultImages.manifest(configDigest, config.length, stored))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Digest manifestDigest = Digest.of(manifest);
        addBlob(manifestDigest, manifest);
        tx.addImage(new StoredImage(configDigest.toString(), manifestDigest.toString(), stored), tags);
        return configDigest;
    }

    /** Makes it all visible at once. */
    public void commit() throws IOException {
        tx.commit();
    }

    @Override
    public void close() {
        tx.close();
    }
}
