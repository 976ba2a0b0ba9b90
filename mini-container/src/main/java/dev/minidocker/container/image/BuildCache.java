package dev.minidocker.container.image;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code mini build} remembers of each step it ran: under {@code ROOT/buildcache/KEY}, the layer
 * the step made (or none, for a step that only changes the config) and when. The key is a digest
 * of the step's parent, its instruction and the content of the files it copies, so a step whose
 * inputs did not change is answered from here instead of being run again.
 *
 * <p>The layers named here are roots for the store's garbage collection, as the layers of image
 * records are: a step's layer must outlive the build that made it.
 */
public final class BuildCache {
    /** One step's result: the diff_id of its layer, or null, and the time it was made. */
    public record Entry(String layer, String created) {
        public Optional<Digest> layerDigest() {
            return layer == null ? Optional.empty() : Optional.of(Digest.parse(layer));
        }
    }

    private final ImageStore store;

    BuildCache(ImageStore store) {
        this.store = store;
    }

    private Path dir() {
        return store.root().resolve("buildcache");
    }

    private Path file(Digest key) {
        return dir().resolve(key.hex());
    }

    /** The step's earlier result, if there is one whose layer is still in the store. */
    public Optional<Entry> lookup(Digest key) {
        Path f = file(key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            Entry e = ImageStore.GSON.fromJson(Files.readString(f), Entry.class);
            if (e == null || e.created() == null || e.layerDigest().map(d -> !store.hasLayer(d)).orElse(false)) {
                return Optional.empty();
            }
            return Optional.of(e);
        } catch (IOException | RuntimeException damaged) {
            return Optional.empty(); // the step runs again and its entry is written anew
        }
    }

    /** Records a step that made no layer. */
    public void record(Digest key, String created) {
        try (ImageStore.Lock lock = store.lock()) {
            write(key, new Entry(null, created));
        } catch (IOException e) {
            throw new ImageException("writing the build cache: " + Io.describe(e));
        }
    }

    /**
     * Stores the layer tar {@code tar} (unpacked into the store, as {@code mini load} would) and
     * records it as the result of step {@code key}, both under one hold of the store's lock, so no
     * garbage collection can come between; its diff_id.
     */
    public Digest storeLayer(Digest key, Path tar, String created, PrintStream progress) {
        try (ImageImport imp = new ImageImport(store, progress)) {
            Digest digest = Digest.ofFile(tar);
            imp.layer(() -> tar, digest, digest, "layer " + digest.shortHex());
            imp.commit();
            write(key, new Entry(digest.toString(), created));
            return digest;
        } catch (IOException e) {
            throw new ImageException("storing a built layer: " + Io.describe(e));
        }
    }

    private void write(Digest key, Entry e) throws IOException {
        Files.createDirectories(dir());
        store.writeAtomically(file(key), ImageStore.GSON.toJson(e));
    }

    /** Hex digests of every layer an entry names (for the garbage collection). */
    Set<String> layers() throws IOException {
        Set<String> out = new HashSet<>();
        if (!Files.isDirectory(dir())) {
            return out;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir())) {
            entries = s.toList();
        }
        for (Path f : entries) {
            try {
                Entry e = ImageStore.GSON.fromJson(Files.readString(f), Entry.class);
                if (e != null && e.layer() != null) {
                    out.add(Digest.parse(e.layer()).hex());
                }
            } catch (RuntimeException damaged) {
                Files.deleteIfExists(f); // unreadable: it can answer no step, and keeps nothing
            }
        }
        return out;
    }
}
