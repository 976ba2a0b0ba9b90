package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One change to the store, staged in a private directory under {@code tmp/} and made visible by
 * {@link #commit()} with renames: blobs, then layers, then the image record, then the tags. If
 * the load fails or is interrupted (Ctrl-C runs the shutdown hook), the staging directory is
 * deleted and the store is as it was.
 *
 * <p>A SIGKILL runs no hook. So the commit first writes its plan, a journal, into the staging
 * directory; the next process to take the store's lock finds it and {@link #replay}s it (every
 * step may be done twice), and deletes any staging directory without one. Killed before the
 * journal: nothing happened; killed after: it all happens.
 *
 * <p>Layers may be staged from several threads at once (a pull unpacks while it downloads).
 */
final class StoreTransaction implements AutoCloseable {
    static final String JOURNAL = "commit.json";
    /** Names of the steps as they happen; tests stop a process at one to see what a kill leaves. */
    static volatile Consumer<String> steps = step -> { };

    private final ImageStore store;
    private final ImageStore.Lock lock;
    private final Path dir;
    private final Map<Digest, Path> blobs = new LinkedHashMap<>();
    private final Map<Digest, Path> layers = new LinkedHashMap<>();
    private final Map<Digest, Long> layerBytes = new LinkedHashMap<>();
    private final Map<Digest, Digest> layerBlobs = new LinkedHashMap<>();
    private final List<StoredImage> images = new ArrayList<>();
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Thread onInterrupt;
    private boolean aborted;
    private boolean committed;
    private int names;

    StoreTransaction(ImageStore store) {
        this.store = store;
        this.lock = store.lock();
        try {
            this.dir = Files.createTempDirectory(store.tmpDir(), "load-");
        } catch (IOException e) {
            lock.close();
            throw new ImageException("cannot create a staging directory in " + store.tmpDir() + ": " + Io.describe(e));
        }
        this.onInterrupt = new Thread(this::abort, "mini-image-abort");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
    }

    /** A fresh path inside the staging directory (not created). */
    synchronized Path newPath(String hint) {
        return dir.resolve(hint + "-" + (++names));
    }

    /** Stages a blob file (which must lie in the staging directory) under its verified digest. */
    synchronized void addBlob(Digest digest, Path file) {
        blobs.putIfAbsent(digest, file);
    }

    synchronized Path addBlob(Digest digest, byte[] bytes) throws IOException {
        Path f = newPath("blob");
        Files.write(f, bytes);
        addBlob(digest, f);
        return f;
    }

    /** Stages an unpacked layer, and which blob it came from. */
    synchronized void addLayer(Digest diffId, Path unpacked, long bytes, Digest blob) {
        layers.putIfAbsent(diffId, unpacked);
        layerBlobs.putIfAbsent(diffId, blob);
        layerBytes.putIfAbsent(diffId, bytes);
        steps.accept("layer staged");
    }

    /** The staging directory (on the store's file system). */
    Path dir() {
        return dir;
    }

    /** Bytes of regular files in a layer staged here or already in the store. */
    synchronized long layerBytes(Digest diffId) {
        Long staged = layerBytes.get(diffId);
        if (staged != null) {
            return staged;
        }
        for (String id : store.imageIds()) {
            for (StoredImage.Layer l : store.readImage(id).map(StoredImage::layers).orElse(List.of())) {
                if (l.diffId().equals(diffId.toString()) && l.unpackedBytes() > 0) {
                    return l.unpackedBytes();
                }
            }
        }
        return measure(store.layerDir(diffId)); // no image records it: count it again
    }

    private static long measure(Path layer) {
        try (Stream<Path> s = Files.walk(layer)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Stages a verified blob: moved when it already lies in the staging directory, copied when it
     * comes from elsewhere (an OCI layout directory), skipped when the store has it.
     */
    synchronized void stageBlob(Digest digest, Path file) throws IOException {
        if (hasBlob(digest)) {
            return;
        }
        if (file.startsWith(dir)) {
            addBlob(digest, file);
        } else {
            Path copy = newPath("blob");
            Files.copy(file, copy);
            addBlob(digest, copy);
        }
    }

    synchronized boolean hasLayer(Digest diffId) {
        return layers.containsKey(diffId) || store.hasLayer(diffId);
    }

    /** The blob's file, staged or in the store, or null. */
    synchronized Path storedBlob(Digest digest) {
        Path staged = blobs.get(digest);
        if (staged != null) {
            return staged;
        }
        Path p = store.blobPath(digest);
        return Files.exists(p) ? p : null;
    }

    synchronized boolean hasBlob(Digest digest) {
        return blobs.containsKey(digest) || Files.exists(store.blobPath(digest));
    }

    synchronized void addImage(StoredImage image, List<ImageReference> refs) {
        images.add(image);
        refs.forEach(r -> tags.put(r.toString(), image.id()));
    }

    /** The plan of a commit, with paths relative to the store's root. */
    record Journal(List<Move> blobs, List<LayerMove> layers, List<StoredImage> images, Map<String, String> tags) {
    }

    record Move(String from, String to) {
    }

    record LayerMove(String from, String to, String pointer, String blob) {
    }

    // tag::commit[]
    synchronized void commit() throws IOException {
        if (aborted) {
            throw new ImageException("interrupted: nothing was loaded");
        }
        List<Move> blobMoves = new ArrayList<>();
        for (Map.Entry<Digest, Path> b : blobs.entrySet()) {
            blobMoves.add(new Move(rel(b.getValue()), rel(store.blobPath(b.getKey()))));
        }
        List<LayerMove> layerMoves = new ArrayList<>();
        for (Map.Entry<Digest, Path> l : layers.entrySet()) {
            layerMoves.add(new LayerMove(rel(l.getValue()), rel(store.layerDir(l.getKey())),
                    rel(store.layerBlobFile(l.getKey())), layerBlobs.get(l.getKey()).toString()));
        }
        Journal journal = new Journal(blobMoves, layerMoves, images, tags);
        store.writeAtomically(dir.resolve(JOURNAL), ImageStore.GSON.toJson(journal));
        steps.accept("journal written");
        replay(store, journal);
        committed = true;
    }

    /** Does what a journal says; each step is skipped when done already, so a replay after a kill is safe. */
    static void replay(ImageStore store, Journal j) throws IOException {
        Path root = store.root();
        for (Move b : j.blobs()) {
            Path from = root.resolve(b.from());
            Path to = root.resolve(b.to());
            if (!Files.exists(to) && Files.exists(from)) {
                ImageStore.moveAtomically(from, to);
            }
        }
        for (LayerMove l : j.layers()) {
            Path from = root.resolve(l.from());
            Path to = root.resolve(l.to());
            if (!Files.exists(to) && Files.exists(from)) { // another image may have brought the same layer meanwhile
                store.writeAtomically(root.resolve(l.pointer()), l.blob());
                ImageStore.moveAtomically(from, to);
                steps.accept("layer moved");
            }
        }
        for (StoredImage image : j.images()) {
            store.writeImage(image);
        }
        if (!j.tags().isEmpty()) {
            Map<String, String> all = store.readTags();
            all.putAll(j.tags()); // a tag moves to the new image; the old one stays, untagged
            store.writeTags(all);
        }
    }
    // end::commit[]

    private String rel(Path p) {
        return store.root().relativize(p).toString();
    }

    private synchronized void abort() {
        if (!committed) {
            aborted = true;
            // Rename first: the loading thread may still be writing, and every path it holds
            // goes through the old name, so after the rename it can create nothing more.
            Path trash = dir.resolveSibling("aborted-" + dir.getFileName());
            try {
                Files.move(dir, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Io.deleteTreeQuietly(trash);
            } catch (IOException e) {
                Io.deleteTreeQuietly(dir);
            }
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        Io.deleteTreeQuietly(dir);
        lock.close();
    }
}
