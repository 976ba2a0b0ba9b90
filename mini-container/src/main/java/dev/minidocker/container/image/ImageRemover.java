package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code mini rmi}: removes a tag, and the image once no tag is left, then every layer and blob
 * that no remaining image uses (a layer shared with another image stays).
 */
public final class ImageRemover {
    private final ImageStore store;

    public ImageRemover(ImageStore store) {
        this.store = store;
    }

    /**
     * Removes {@code reference} (a NAME[:TAG] or an id prefix) and returns what was done, one line
     * each ("Untagged: busybox:latest", "Deleted: sha256:...") as docker prints it.
     */
    public List<String> remove(String reference) {
        return remove(reference, false, Map.of());
    }

    // tag::in-use[]
    /**
     * The same, knowing which layers each container stands on (name → layer directories): an image
     * a container uses, running or stopped, is refused unless forced, as docker does; forced, it is
     * only untagged, and no layer a container mounts is ever deleted.
     */
    public List<String> remove(String reference, boolean force, Map<String, Set<Path>> containerLayers) {
        List<String> done = new ArrayList<>();
        try (ImageStore.Lock lock = store.lock()) {
            Image image = store.get(reference);
            String user = null;
            for (Map.Entry<String, Set<Path>> c : containerLayers.entrySet()) {
                if (!image.layerDirs().isEmpty() && c.getValue().containsAll(image.layerDirs())) {
                    user = c.getKey();
                    break;
                }
            }
            if (user != null && !force) {
                throw new ImageException("conflict: unable to remove " + reference + ": container " + user
                        + " uses it (remove the container first, or untag with rmi -f)");
            }
            this.inUse = new HashSet<>();
            containerLayers.values().forEach(inUse::addAll);
            if (user != null) {
                // forced: the names go, the image and its layers stay for the container
                Map<String, String> tags = store.readTags();
                tags.entrySet().removeIf(t -> {
                    if (t.getValue().equals(image.id())) {
                        done.add("Untagged: " + t.getKey());
                        return true;
                    }
                    return false;
                });
                store.writeTags(tags);
                return done;
            }
            // end::in-use[]
            Map<String, String> tags = store.readTags();
            boolean byTag = ImageReference.isValid(reference)
                    && image.id().equals(tags.get(ImageReference.parse(reference).toString()));
            if (byTag) {
                String tag = ImageReference.parse(reference).toString();
                tags.remove(tag);
                done.add("Untagged: " + tag);
            } else {
                tags.entrySet().removeIf(t -> {
                    if (t.getValue().equals(image.id())) {
                        done.add("Untagged: " + t.getKey());
                        return true;
                    }
                    return false;
                });
            }
            store.writeTags(tags);
            if (!tags.containsValue(image.id())) {
                Files.deleteIfExists(store.imagesDir().resolve(Digest.parse(image.id()).hex() + ".json"));
                done.add("Deleted: " + image.id());
                done.addAll(collectGarbage());
            }
        } catch (IOException e) {
            throw new ImageException("removing " + reference + ": " + Io.describe(e));
        }
        return done;
    }

    // tag::gc[]
    /** Deletes layers and blobs that no image (and no build cache entry) refers to any more. */
    List<String> collectGarbage() throws IOException {
        Set<String> layers = new HashSet<>();
        Set<String> blobs = new HashSet<>();
        for (String id : store.imageIds()) {
            StoredImage s = store.readImage(id).orElseThrow();
            blobs.add(Digest.parse(s.id()).hex());
            blobs.add(Digest.parse(s.manifest()).hex());
            for (StoredImage.Layer l : s.layers()) {
                layers.add(Digest.parse(l.diffId()).hex());
                blobs.add(Digest.parse(l.digest()).hex());
            }
        }
        layers.addAll(store.buildCache().layers()); // a build's steps keep their layers for the next build
        List<String> deleted = new ArrayList<>();
        for (Path layer : listDir(store.layersDir())) {
            Digest diffId = new Digest("sha256", layer.getFileName().toString());
            if (!layers.contains(diffId.hex()) && !mountedByAContainer(layer)) {
                Files.deleteIfExists(store.layerBlobFile(diffId));
                Io.deleteTree(layer);
                deleted.add("Deleted layer: " + diffId);
            } else if (Files.exists(store.layerBlobFile(diffId))) {
                // the blob this layer came from stays, even if the image that brought it is gone
                blobs.add(Digest.parse(Files.readString(store.layerBlobFile(diffId)).strip()).hex());
            }
        }
        for (Path blob : listDir(store.blobDir())) {
            if (!blobs.contains(blob.getFileName().toString())) {
                Files.delete(blob);
            }
        }
        return deleted;
    }
    // end::gc[]

    /** Layers that containers' roots are made of (set by remove): never deleted. */
    private Set<Path> inUse = Set.of();

    private boolean mountedByAContainer(Path layer) {
        for (Path p : inUse) {
            if (p.startsWith(layer)) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> listDir(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
