package dev.minidocker.container.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * {@code mini load FILE}: brings images into the store from
 * <ul>
 * <li>a {@code docker save} archive, older layout ({@code manifest.json}, {@code ID.json},
 * {@code ID/layer.tar}) or newer one ({@code manifest.json} plus {@code index.json} and {@code blobs/});
 * <li>an OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/});
 * <li>an OCI archive (a tar of such a directory).
 * </ul>
 * Archives may be plain, gzip or zstd (told by their first bytes). Every blob is checked against
 * its digest, and the whole load is one {@link StoreTransaction}: all of it, or nothing.
 */
public final class ImageLoader {
    private static final Pattern HEX_NAME = Pattern.compile("(?:^|/)(?:sha256/)?([0-9a-f]{64})(?:\\.json|\\.tar)?$");
    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final String CONTAINERD_NAME = "io.containerd.image.name";

    private final ImageStore store;
    private final Progress progress;
    private final UnpackLimits limits;

    public ImageLoader(ImageStore store, PrintStream progress) {
        this(store, progress, UnpackLimits.DEFAULT);
    }

    public ImageLoader(ImageStore store, PrintStream progress, UnpackLimits limits) {
        this.store = store;
        this.progress = new Progress(progress);
        this.limits = limits;
    }

    /** Loads every image in {@code source} (a file or a directory) and returns them as stored. */
    public List<Image> load(Path source) {
        return load(source, null);
    }

    /**
     * As {@link #load(Path)}; {@code name} (NAME or NAME:TAG), when given, names images that carry
     * no name of their own (an OCI layout often has only a tag).
     */
    public List<Image> load(Path source, String name) {
        if (!Files.exists(source)) {
            throw new ImageException("cannot load " + source + ": no such file or directory");
        }
        List<String> refs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (StoreTransaction tx = new StoreTransaction(store)) {
            InRoot dir;
            if (Files.isDirectory(source)) {
                dir = new InRoot(source.toAbsolutePath());
            } else {
                progress.line("reading " + source + " (" + Progress.size(Files.size(source)) + ")");
                Path unpacked = tx.newPath("archive");
                Files.createDirectory(unpacked);
                Set<String> present = presentLayerFiles(source);
                try (InputStream in = Compression.decompress(new BufferedInputStream(
                        progress.counting(Files.newInputStream(source), Files.size(source), "archive"), 1 << 16))) {
                    LayerUnpacker.unpack(in, unpacked, LayerUnpacker.Whiteouts.APPLY, limits, w -> { }, present);
                }
                dir = new InRoot(unpacked);
            }
            String defaultName = name != null ? name : defaultName(source);
            List<Loaded> loaded;
            if (dir.existingFile("manifest.json") != null) {
                loaded = dockerArchive(tx, dir);
            } else if (dir.existingFile("index.json") != null) {
                loaded = ociLayout(tx, dir, defaultName);
            } else {
                throw new ImageException(source + " is neither a docker-save archive (no manifest.json) nor an OCI"
                        + " image layout (no index.json)");
            }
            for (Loaded l : loaded) {
                List<ImageReference> tags = l.tags();
                if (tags.isEmpty() && name != null) {
                    tags = List.of(ImageReference.parse(name));
                }
                tx.addImage(l.image(), tags);
                ids.add(l.image().id());
                tags.forEach(t -> refs.add(t.toString()));
            }
            tx.commit();
        } catch (IOException e) {
            throw new ImageException("loading " + source + ": " + Io.describe(e));
        }
        List<Image> images = new ArrayList<>();
        for (String r : refs) {
            images.add(store.get(r));
        }
        for (String id : ids) {
            if (images.stream().noneMatch(i -> i.id().equals(id))) {
                images.add(store.get(id));
            }
        }
        return images;
    }

    /** {@code ImageLoader STORE SOURCE [NAME[:TAG]]}: a load without the CLI, for experiments and bench/. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ImageLoader STORE-DIR SOURCE [NAME[:TAG]]");
            System.exit(2);
        }
        try {
            for (Image i : new ImageLoader(ImageStore.open(Path.of(args[0])), System.err).load(Path.of(args[1]),
                    args.length > 2 ? args[2] : null)) {
                System.out.println("Loaded image: " + i.reference());
            }
        } catch (ImageException e) {
            System.err.println("load: " + e.getMessage());
            System.exit(1);
        }
    }

    private record Loaded(StoredImage image, List<ImageReference> tags) {
    }

    // tag::docker-archive[]
    /** docker save: manifest.json lists, per image, its config file, its tags and its layer files. */
    private List<Loaded> dockerArchive(StoreTransaction tx, InRoot dir) throws IOException {
        JsonElement manifest = ConfigJson.parseAny(read(dir, "manifest.json"), "manifest.json");
        if (!manifest.isJsonArray()) {
            throw new ImageException("manifest.json is not a list of images: not a docker-save archive");
        }
        List<Loaded> out = new ArrayList<>();
        for (JsonElement e : manifest.getAsJsonArray()) {
            JsonObject m = e.getAsJsonObject();
            String configName = ConfigJson.string(m, "Config");
            byte[] config = read(dir, configName);
            Digest configDigest = Digest.of(config);
            expectedFromName(configName).ifPresent(d -> d.verify(configDigest, "config " + configName));
            JsonObject configJson = ConfigJson.parse(config, configName);
            List<Digest> diffIds = ConfigJson.diffIds(configJson, configName);
            List<String> layerNames = ConfigJson.strings(m, "Layers");
            if (layerNames.size() != diffIds.size()) {
                throw new ImageException("manifest.json lists " + layerNames.size() + " layers but " + configName
                        + " has " + diffIds.size() + " diff_ids: the archive is inconsistent");
            }
            List<StoredImage.Layer> layers = new ArrayList<>();
            for (int i = 0; i < layerNames.size(); i++) {
                String layerName = layerNames.get(i);
                layers.add(LayerIngest.ingest(tx, () -> file(dir, layerName), expectedFromName(layerName).orElse(null),
                        diffIds.get(i), "layer " + (i + 1) + "/" + layerNames.size() + " " + diffIds.get(i).shortHex(),
                        progress, limits));
            }
            tx.stageBlob(configDigest, file(dir, configName));
            Digest manifestDigest = storeManifest(tx, configDigest, config.length, layers);
            List<ImageReference> tags = new ArrayList<>();
            for (String t : ConfigJson.strings(m, "RepoTags")) {
                tags.add(ImageReference.parse(t));
            }
            out.add(new Loaded(new StoredImage(configDigest.toString(), manifestDigest.toString(), layers), tags));
        }
        return out;
    }
    // end::docker-archive[]

    // tag::oci-layout[]
    /** OCI layout: index.json points (maybe through nested indexes) at manifests, which point at blobs. */
    private List<Loaded> ociLayout(StoreTransaction tx, InRoot dir, String defaultName) throws IOException {
        if (dir.existingFile("oci-layout") == null) {
            throw new ImageException("index.json without oci-layout: not an OCI image layout");
        }
        JsonObject index = ConfigJson.parse(read(dir, "index.json"), "index.json");
        List<Loaded> out = new ArrayList<>();
        for (JsonElement e : array(index, "manifests", "index.json")) {
            JsonObject desc = e.getAsJsonObject();
            JsonObject manifestDesc = chooseManifest(dir, desc);
            byte[] manifestBytes = blob(dir, manifestDesc);
            JsonObject manifest = ConfigJson.parse(manifestBytes, "manifest " + ConfigJson.string(manifestDesc, "digest"));
            JsonObject configDesc = manifest.getAsJsonObject("config");
            byte[] config = blob(dir, configDesc);
            Digest configDigest = Digest.parse(ConfigJson.string(configDesc, "digest"));
            List<Digest> diffIds = ConfigJson.diffIds(ConfigJson.parse(config, "config"), "config " + configDigest.shortHex());
            JsonArray layerDescs = array(manifest, "layers", "manifest");
            if (layerDescs.size() != diffIds.size()) {
                throw new ImageException("manifest lists " + layerDescs.size() + " layers but the config has "
                        + diffIds.size() + " diff_ids: the layout is inconsistent");
            }
            List<StoredImage.Layer> layers = new ArrayList<>();
            for (int i = 0; i < layerDescs.size(); i++) {
                Digest d = Digest.parse(ConfigJson.string(layerDescs.get(i).getAsJsonObject(), "digest"));
                layers.add(LayerIngest.ingest(tx, () -> blobFile(dir, d), d, diffIds.get(i),
                        "layer " + (i + 1) + "/" + layerDescs.size() + " " + d.shortHex(), progress, limits));
            }
            Digest manifestDigest = Digest.parse(ConfigJson.string(manifestDesc, "digest"));
            tx.stageBlob(configDigest, blobFile(dir, configDigest));
            tx.stageBlob(manifestDigest, blobFile(dir, manifestDigest));
            out.add(new Loaded(new StoredImage(configDigest.toString(), manifestDigest.toString(), layers),
                    ociTags(desc, defaultName)));
        }
        return out;
    }
    // end::oci-layout[]

    // tag::present-layers[]
    /**
     * A first, quick pass over a plain tar archive: read its small JSON files only (the archive
     * is seekable, so big entries are skipped, not read) and name the layer files whose diff_id
     * the store already has. The second pass does not even copy those out of the archive.
     */
    private Set<String> presentLayerFiles(Path archive) {
        Set<String> present = new HashSet<>();
        Map<String, byte[]> small = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            if (Compression.detect(raw) != Compression.NONE) {
                return present; // a compressed archive cannot be skipped through: read it once, as it is
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(raw, StandardCharsets.UTF_8.name());
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = String.join("/", InRoot.clean(e.getName()));
                if (e.isSymbolicLink()) {
                    int slash = name.lastIndexOf('/');
                    links.put(name, String.join("/", InRoot.clean((slash < 0 ? "" : name.substring(0, slash + 1)) + e.getLinkName())));
                } else if (e.isFile() && e.getSize() <= 4 << 20 && (name.endsWith(".json") || name.startsWith("blobs/"))) {
                    small.put(name, tar.readAllBytes());
                }
            }
            if (small.containsKey("manifest.json")) {
                for (JsonElement m : ConfigJson.parseAny(small.get("manifest.json"), "manifest.json").getAsJsonArray()) {
                    JsonObject o = m.getAsJsonObject();
                    byte[] config = small.get(String.join("/", InRoot.clean(ConfigJson.string(o, "Config"))));
                    List<Digest> diffIds = ConfigJson.diffIds(ConfigJson.parse(config, "config"), "config");
                    List<String> layers = ConfigJson.strings(o, "Layers");
                    for (int i = 0; i < layers.size() && i < diffIds.size(); i++) {
                        if (store.hasLayer(diffIds.get(i))) {
                            String name = String.join("/", InRoot.clean(layers.get(i)));
                            present.add(links.getOrDefault(name, name));
                        }
                    }
                }
            } else if (small.containsKey("index.json")) {
                List<JsonObject> todo = new ArrayList<>();
                array(ConfigJson.parse(small.get("index.json"), "index.json"), "manifests", "index.json")
                        .forEach(e -> todo.add(e.getAsJsonObject()));
                while (!todo.isEmpty()) {
                    JsonObject doc = ConfigJson.parse(small.get(blobName(todo.remove(0))), "manifest");
                    if (doc.has("manifests")) {
                        doc.getAsJsonArray("manifests").forEach(e -> todo.add(e.getAsJsonObject()));
                        continue;
                    }
                    List<Digest> diffIds = ConfigJson.diffIds(ConfigJson.parse(
                            small.get(blobName(doc.getAsJsonObject("config"))), "config"), "config");
                    JsonArray layers = array(doc, "layers", "manifest");
                    for (int i = 0; i < layers.size() && i < diffIds.size(); i++) {
                        if (store.hasLayer(diffIds.get(i))) {
                            present.add(blobName(layers.get(i).getAsJsonObject()));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // only an optimisation: the real pass reports what is wrong with the archive
        }
        return present;
    }
    // end::present-layers[]

    private static String blobName(JsonObject descriptor) {
        Digest d = Digest.parse(ConfigJson.string(descriptor, "digest"));
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    /** An index entry is a manifest, or an index of manifests per platform: take linux/amd64. */
    private JsonObject chooseManifest(InRoot dir, JsonObject desc) throws IOException {
        for (int depth = 0; depth < 8; depth++) {
            String type = ConfigJson.string(desc, "mediaType");
            if (!type.endsWith("image.index.v1+json") && !type.endsWith("manifest.list.v2+json")) {
                return desc;
            }
            JsonObject index = ConfigJson.parse(blob(dir, desc), "index " + ConfigJson.string(desc, "digest"));
            JsonObject chosen = null;
            for (JsonElement e : array(index, "manifests", "index")) {
                JsonObject m = e.getAsJsonObject();
                JsonObject platform = m.has("platform") ? m.getAsJsonObject("platform") : null;
                if (platform == null || ("linux".equals(ConfigJson.string(platform, "os"))
                        && "amd64".equals(ConfigJson.string(platform, "architecture")))) {
                    chosen = m;
                    break;
                }
            }
            if (chosen == null) {
                throw new ImageException("the image index has no linux/amd64 manifest");
            }
            desc = chosen;
        }
        throw new ImageException("image indexes nested too deeply");
    }

    private static List<ImageReference> ociTags(JsonObject desc, String defaultName) {
        if (hasTag(defaultName)) {
            return List.of(ImageReference.parse(defaultName)); // the user named it NAME:TAG: that wins
        }
        JsonObject ann = desc.has("annotations") ? desc.getAsJsonObject("annotations") : new JsonObject();
        String full = ConfigJson.string(ann, CONTAINERD_NAME);
        if (!full.isEmpty()) {
            return List.of(ImageReference.parse(full));
        }
        String ref = ConfigJson.string(ann, REF_NAME);
        if (ref.isEmpty()) {
            return List.of();
        }
        if (ref.contains("/") || ref.contains(":")) {
            return List.of(ImageReference.parse(ref));
        }
        // only a tag: the name comes from the user or from the file name
        return List.of(new ImageReference(ImageReference.parse(defaultName).name(), ref));
    }

    /** Reads a blob named by its descriptor, checking the digest (and the size, when given). */
    private static byte[] blob(InRoot dir, JsonObject desc) throws IOException {
        Digest d = Digest.parse(ConfigJson.string(desc, "digest"));
        byte[] bytes = Files.readAllBytes(blobFile(dir, d));
        d.verify(Digest.of(bytes), "blob " + d.shortHex());
        if (desc.has("size") && desc.get("size").getAsLong() != bytes.length) {
            throw new ImageException("size mismatch for blob " + d + ": expected " + desc.get("size").getAsLong()
                    + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    private static Path blobFile(InRoot dir, Digest d) throws IOException {
        return file(dir, "blobs/" + d.algorithm() + "/" + d.hex());
    }

    private static Path file(InRoot dir, String name) throws IOException {
        Path p = dir.existingFile(name);
        if (p == null) {
            throw new ImageException("'" + name + "' is missing from the image: the archive is incomplete");
        }
        return p;
    }

    private static byte[] read(InRoot dir, String name) throws IOException {
        return Files.readAllBytes(file(dir, name));
    }

    private static JsonArray array(JsonObject o, String field, String what) {
        if (!o.has(field) || !o.get(field).isJsonArray()) {
            throw new ImageException(what + " has no '" + field + "' list");
        }
        return o.getAsJsonArray(field);
    }

    /** A file named after its digest ({@code blobs/sha256/HEX}, {@code HEX.json}, {@code HEX.tar}) must have it. */
    static Optional<Digest> expectedFromName(String name) {
        Matcher m = HEX_NAME.matcher(name);
        return m.find() ? Optional.of(new Digest("sha256", m.group(1))) : Optional.empty();
    }

    /** Docker-archive layers come with no manifest of their own: the store keeps an OCI one. */
    private static Digest storeManifest(StoreTransaction tx, Digest config, long configSize,
                                        List<StoredImage.Layer> layers) throws IOException {
        byte[] m = ImageStore.GSON.toJson(DefaultImages.manifest(config, configSize, layers)).getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.of(m);
        if (!tx.hasBlob(d)) {
            tx.addBlob(d, m);
        }
        return d;
    }

    private static boolean hasTag(String reference) {
        return reference.lastIndexOf(':') > reference.lastIndexOf('/');
    }

    /** busybox-1.36.oci.tar.gz gives "busybox-1.36". */
    static String defaultName(Path source) {
        String n = source.toAbsolutePath().normalize().getFileName().toString().toLowerCase(Locale.ROOT);
        n = n.replaceAll("(\\.(tar|tgz|gz|zst|zstd|oci|docker))+$", "");
        n = n.replaceAll("[^a-z0-9._-]", "-").replaceAll("^[._-]+|[._-]+$", "");
        return n.isEmpty() ? "image" : n;
    }
}
