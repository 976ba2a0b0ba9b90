package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;

/**
 * The local image store: content-addressed, so that what two images share is kept once.
 *
 * <pre>
 * ROOT/blobs/sha256/HEX     configs, manifests and layer blobs, named by the digest of their bytes
 * ROOT/layers/HEX/          a layer unpacked once, named by its diff_id (digest of the plain tar)
 * ROOT/layerblobs/HEX       the digest of the blob that layer was unpacked from
 * ROOT/images/HEX.json      one image: its manifest and layers ({@link StoredImage}); HEX is the id
 * ROOT/repositories.json    tags: {"busybox:latest": "sha256:..."}
 * ROOT/buildcache/HEX       one build step's result ({@link BuildCache}): its layers are kept too
 * ROOT/tmp/                 loads in progress; moved into place only when complete
 * </pre>
 *
 * Readers take no lock; writers hold {@code ROOT/lock} and make every change visible with a
 * rename, so a reader sees an image either whole or not at all.
 */
public final class ImageStore {
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    private final Path root;
    private FileChannel lockChannel;
    private FileLock fileLock;

    private ImageStore(Path root) {
        this.root = root;
    }

    /** Opens (creating when needed) the store under {@code root}, e.g. /var/lib/mini-docker. */
    public static ImageStore open(Path root) {
        ImageStore s = new ImageStore(root.toAbsolutePath().normalize());
        try {
            for (Path d : List.of(s.blobDir(), s.layersDir(), s.root.resolve("layerblobs"), s.imagesDir(), s.tmpDir())) {
                Files.createDirectories(d);
            }
        } catch (IOException e) {
            throw new ImageException("cannot create the image store at " + root + ": " + Io.describe(e)
                    + " (run as root, or set MINI_ROOT to a writable directory)");
        }
        return s;
    }

    public Path root() {
        return root;
    }

    /** The directory a stored layer is unpacked in (a lower directory of an overlay). */
    public Path layerPath(Digest diffId) {
        if (!hasLayer(diffId)) {
            throw new ImageException("layer " + diffId + " is not in the store at " + root);
        }
        return layerDir(diffId);
    }

    /** The diff_ids of an image's layers, lowest first. */
    public List<Digest> diffIds(Image image) {
        return ConfigJson.diffIds(configJson(image), "config of " + image.reference());
    }

    /** The cache of {@code mini build}'s steps, kept in this store. */
    public BuildCache buildCache() {
        return new BuildCache(this);
    }

    /**
     * Finds an image by reference ({@code busybox}, {@code busybox:latest}) or by a prefix of its
     * id ({@code sha256:4a5b}, {@code 4a5b}).
     */
    public Optional<Image> find(String reference) {
        Map<String, String> tags = readTags();
        int at = reference.indexOf('@');
        if (at >= 0) {
            return findByManifest(Digest.parse(reference.substring(at + 1)));
        }
        if (ImageReference.isValid(reference)) {
            ImageReference ref = ImageReference.parse(reference);
            String id = tags.get(ref.toString());
            if (id != null) {
                return readImage(id).map(s -> toImage(s, ref.name(), ref.tag()));
            }
        }
        String prefix = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        if (prefix.length() < 3 || !prefix.matches("[0-9a-f]+")) {
            if (!ImageReference.isValid(reference)) {
                ImageReference.parse(reference); // neither a reference nor an id: the rule it breaks, not "not found"
            }
            return Optional.empty();
        }
        List<String> ids = imageIds().stream().filter(id -> id.substring(7).startsWith(prefix)).toList();
        if (ids.size() > 1) {
            throw new ImageException("image id prefix '" + reference + "' is ambiguous: give more digits");
        }
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        String id = ids.get(0);
        Optional<ImageReference> tag = tags.entrySet().stream().filter(t -> t.getValue().equals(id))
                .map(t -> ImageReference.parse(t.getKey())).findFirst();
        return readImage(id).map(s -> toImage(s, tag.map(ImageReference::name).orElse("<none>"),
                tag.map(ImageReference::tag).orElse("<none>")));
    }

    /** NAME@sha256:...: the image pulled by that manifest digest (the name is not checked). */
    private Optional<Image> findByManifest(Digest manifest) {
        for (String id : imageIds()) {
            Optional<StoredImage> s = readImage(id);
            if (s.isPresent() && s.get().manifest().equals(manifest.toString())) {
                return find(id);
            }
        }
        return Optional.empty();
    }

    /** The digest of the manifest the image was loaded or pulled with (what a push sends). */
    public Digest manifestDigest(Image image) {
        return Digest.parse(readImage(image.id()).orElseThrow(() -> new ImageNotFoundException(image.reference())).manifest());
    }

    /** A stored blob's file, or a clear error when the store lost it. */
    public Path blob(Digest digest) {
        Path p = blobPath(digest);
        if (!Files.exists(p)) {
            throw new ImageException("blob " + digest + " is not in the store at " + root
                    + ": remove the image with './mini rmi' and pull or load it again");
        }
        return p;
    }

    /** {@code mini tag}: gives an image one more name (moving the name if another image had it). */
    public void tag(Image image, ImageReference name) {
        try (Lock lock = lock()) {
            if (readImage(image.id()).isEmpty()) {
                throw new ImageNotFoundException(image.reference());
            }
            Map<String, String> tags = readTags();
            tags.put(name.toString(), image.id());
            writeTags(tags);
        } catch (IOException e) {
            throw new ImageException("tagging " + image.reference() + " as " + name + ": " + Io.describe(e));
        }
    }

    /** Like {@link #find} but throws {@link ImageNotFoundException} when there is no such image. */
    public Image get(String reference) {
        return find(reference).orElseThrow(() -> new ImageNotFoundException(reference));
    }

    /** Every tagged image (one row per tag, sorted), then untagged ones as {@code <none>:<none>}. */
    public List<Image> list() {
        Map<String, String> tags = readTags();
        List<Image> out = new ArrayList<>();
        for (Map.Entry<String, String> t : tags.entrySet()) {
            ImageReference ref = ImageReference.parse(t.getKey());
            readImage(t.getValue()).ifPresent(s -> out.add(toImage(s, ref.name(), ref.tag())));
        }
        for (String id : imageIds()) {
            if (!tags.containsValue(id)) {
                readImage(id).ifPresent(s -> out.add(toImage(s, "<none>", "<none>")));
            }
        }
        return out;
    }

    /** The full config JSON of an image, as loaded (for {@code image inspect}). */
    public JsonObject configJson(Image image) {
        try {
            return ConfigJson.parse(Files.readAllBytes(blobPath(Digest.parse(image.id()))), "config of " + image.reference());
        } catch (IOException e) {
            throw new ImageException("reading the config of " + image.reference() + ": " + Io.describe(e));
        }
    }

    // ---- layout -------------------------------------------------------------------------------

    Path blobDir() {
        return root.resolve("blobs").resolve("sha256");
    }

    Path layersDir() {
        return root.resolve("layers");
    }

    Path imagesDir() {
        return root.resolve("images");
    }

    Path tmpDir() {
        return root.resolve("tmp");
    }

    Path tagsFile() {
        return root.resolve("repositories.json");
    }

    Path blobPath(Digest d) {
        return blobDir().resolve(d.hex());
    }

    Path layerDir(Digest diffId) {
        return layersDir().resolve(diffId.hex());
    }

    /** {@code layerblobs/HEX}: the digest of a stored blob the layer HEX was unpacked from. */
    Path layerBlobFile(Digest diffId) {
        return root.resolve("layerblobs").resolve(diffId.hex());
    }

    /** The stored blob that layer {@code diffId} was unpacked from (to unpack it again, flattened). */
    Path blobOfLayer(Digest diffId) {
        Path pointer = layerBlobFile(diffId);
        try {
            if (Files.exists(pointer)) {
                return blobPath(Digest.parse(Files.readString(pointer).strip()));
            }
        } catch (IOException e) {
            throw new ImageException("cannot read " + pointer + ": " + Io.describe(e));
        }
        // a store written before layerblobs/ existed: any stored blob an image names for this layer
        for (String id : imageIds()) {
            for (StoredImage.Layer l : readImage(id).map(StoredImage::layers).orElse(List.of())) {
                if (l.diffId().equals(diffId.toString()) && Files.exists(blobPath(Digest.parse(l.digest())))) {
                    return blobPath(Digest.parse(l.digest()));
                }
            }
        }
        throw new ImageException("no blob of layer " + diffId + " is left in the store: remove the image with"
                + " './mini rmi' and load it again");
    }

    boolean hasLayer(Digest diffId) {
        return Files.isDirectory(layerDir(diffId));
    }

    // ---- reading ------------------------------------------------------------------------------

    Map<String, String> readTags() {
        Path f = tagsFile();
        if (!Files.exists(f)) {
            return new TreeMap<>();
        }
        try {
            Map<String, String> m = GSON.fromJson(Files.readString(f), new TypeToken<TreeMap<String, String>>() { }.getType());
            return m == null ? new TreeMap<>() : new TreeMap<>(m);
        } catch (IOException | RuntimeException e) {
            throw new ImageException("cannot read " + f + ": " + e.getMessage() + " (the store is damaged)");
        }
    }

    List<String> imageIds() {
        try (Stream<Path> s = Files.list(imagesDir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> "sha256:" + n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            throw new ImageException("cannot list " + imagesDir() + ": " + Io.describe(e));
        }
    }

    Optional<StoredImage> readImage(String id) {
        Path f = imagesDir().resolve(Digest.parse(id).hex() + ".json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(GSON.fromJson(Files.readString(f), StoredImage.class));
        } catch (IOException | RuntimeException e) {
            throw new ImageException("cannot read " + f + ": " + e.getMessage() + " (the store is damaged)");
        }
    }

    private Image toImage(StoredImage s, String name, String tag) {
        Digest id = Digest.parse(s.id());
        byte[] config;
        try {
            config = Files.readAllBytes(blobPath(id));
        } catch (IOException e) {
            throw new ImageException("config blob of image " + id.shortHex() + " is missing: " + Io.describe(e)
                    + " (remove the image with './mini rmi' and load it again)");
        }
        ImageConfig run = ConfigJson.runConfig(ConfigJson.parse(config, "config of image " + id.shortHex()));
        List<Path> dirs = s.layers().stream().map(l -> layerDir(Digest.parse(l.diffId()))).toList();
        return new Image(name, tag, s.id(), run, dirs, s.unpackedBytes());
    }

    // ---- writing (under the lock) ---------------------------------------------------------------

    /** Holds the store's lock (against other processes and threads) until closed. */
    Lock lock() {
        JVM_LOCK.lock();
        try {
            if (JVM_LOCK.getHoldCount() == 1) {
                lockChannel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                fileLock = lockChannel.tryLock();
                if (fileLock == null) {
                    // one line, so that a user whose rmi waits for a long load knows why nothing happens
                    System.err.println("mini: another mini is changing the image store (a load, pull, build or rmi): waiting for it to finish");
                    fileLock = lockChannel.lock();
                }
            }
        } catch (IOException e) {
            JVM_LOCK.unlock();
            throw new ImageException("cannot lock the image store " + root + ": " + Io.describe(e));
        }
        Lock lock = new Lock();
        if (JVM_LOCK.getHoldCount() == 1) {
            try {
                recover(); // no writer is running: whatever is in tmp/ was left by an interrupted one
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e instanceof IOException io ? new ImageException("recovering the image store " + root + ": "
                        + Io.describe(io)) : (RuntimeException) e;
            }
        }
        return lock;
    }

    final class Lock implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (JVM_LOCK.getHoldCount() == 1 && fileLock != null) {
                    fileLock.release();
                    lockChannel.close();
                    fileLock = null;
                }
            } catch (IOException e) {
                // the lock goes with the descriptor anyway
            } finally {
                JVM_LOCK.unlock();
            }
        }
    }

    // tag::recover[]
    /**
     * What a killed writer left: a commit whose journal was written is finished; any other staging
     * directory is deleted; layers and blobs no image refers to (left by a kill mid-commit before
     * commits had journals) are removed.
     */
    private void recover() throws IOException {
        List<Path> staged;
        try (Stream<Path> s = Files.list(tmpDir())) {
            staged = s.toList();
        }
        for (Path p : staged) {
            Path journal = p.resolve(StoreTransaction.JOURNAL);
            if (Files.isRegularFile(journal)) {
                try {
                    StoreTransaction.replay(this, GSON.fromJson(Files.readString(journal), StoreTransaction.Journal.class));
                } catch (IOException | RuntimeException e) {
                    throw new ImageException("cannot finish the interrupted commit in " + p + ": " + e.getMessage()
                            + " (remove that directory to drop it)");
                }
            }
        }
        for (Path p : staged) {
            Io.deleteTreeQuietly(p);
        }
        try {
            new ImageRemover(this).collectGarbage();
        } catch (ImageException damaged) {
            // an unreadable image record: keep every layer rather than guess; 'rmi' reports it
        }
    }
    // end::recover[]

    void writeImage(StoredImage image) throws IOException {
        writeAtomically(imagesDir().resolve(Digest.parse(image.id()).hex() + ".json"), GSON.toJson(image));
    }

    void writeTags(Map<String, String> tags) throws IOException {
        writeAtomically(tagsFile(), GSON.toJson(new TreeMap<>(tags)));
    }

    void writeAtomically(Path target, String text) throws IOException {
        Path tmp = Files.createTempFile(tmpDir(), "write", ".json");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        moveAtomically(tmp, target);
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new ImageException("cannot rename " + from + " to " + to + " atomically: keep the store on one file system");
        }
    }
}
