package dev.minidocker.container.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * {@code mini save}: images from the store into one tar that other tools load.
 * <ul>
 * <li>docker-archive: {@code manifest.json} naming, per image, its config ({@code HEX.json}), its
 * tags and its layers as plain tars ({@code DIFF_ID/layer.tar}, the uncompressed bytes that the
 * config's diff_ids name), as {@code docker save} writes it;
 * <li>oci-archive: an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/})
 * holding the blobs as stored, with an OCI manifest.
 * </ul>
 */
public final class ImageSaver {
    public enum Format {
        DOCKER_ARCHIVE, OCI_ARCHIVE;

        public static Format parse(String s) {
            return switch (s) {
                case "docker-archive" -> DOCKER_ARCHIVE;
                case "oci-archive" -> OCI_ARCHIVE;
                default -> throw new ImageException("unknown archive format '" + s + "': use docker-archive or oci-archive");
            };
        }
    }

    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final String CONTAINERD_NAME = "io.containerd.image.name";
    private final ImageStore store;

    public ImageSaver(ImageStore store) {
        this.store = store;
    }

    /** Writes every image {@code references} name (NAME[:TAG] or id) into {@code out}. */
    public void save(List<String> references, Format format, OutputStream out) throws IOException {
        List<Image> images = new ArrayList<>();
        for (String r : references) {
            images.add(store.get(r));
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            if (format == Format.DOCKER_ARCHIVE) {
                dockerArchive(images, tar);
            } else {
                ociArchive(images, tar);
            }
            tar.finish();
        }
    }

    // tag::save-docker[]
    private void dockerArchive(List<Image> images, TarArchiveOutputStream tar) throws IOException {
        JsonArray manifest = new JsonArray();
        Set<String> written = new LinkedHashSet<>();
        for (Image image : images) {
            Digest config = Digest.parse(image.id());
            String configName = config.hex() + ".json";
            if (written.add(configName)) {
                file(tar, configName, store.blob(config));
            }
            JsonArray layers = new JsonArray();
            for (StoredImage.Layer l : stored(image).layers()) {
                Digest diffId = Digest.parse(l.diffId());
                String name = diffId.hex() + "/layer.tar";
                if (written.add(name)) {
                    Path blob = store.blobPath(Digest.parse(l.digest()));
                    plainLayer(tar, name, Files.exists(blob) ? blob : store.blobOfLayer(diffId), diffId);
                }
                layers.add(name);
            }
            JsonObject m = new JsonObject();
            m.addProperty("Config", configName);
            JsonArray tags = new JsonArray();
            if (!image.tag().equals("<none>")) {
                tags.add(image.reference());
            }
            m.add("RepoTags", tags);
            m.add("Layers", layers);
            manifest.add(m);
        }
        bytes(tar, "manifest.json", ImageStore.GSON.toJson(manifest).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A layer as the plain tar its diff_id names. A tar entry needs its size before its bytes, so
     * a compressed blob is read twice: once to count (and to check the diff_id), once to copy.
     */
    private static void plainLayer(TarArchiveOutputStream tar, String name, Path blob, Digest diffId) throws IOException {
        MessageDigest sha = Digest.newSha256();
        long size;
        try (InputStream in = new DigestInputStream(Compression.decompress(
                new BufferedInputStream(Files.newInputStream(blob), 1 << 16)), sha)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }
        diffId.verify(Digest.of(sha), "stored layer " + diffId.shortHex());
        TarArchiveEntry e = entry(name, size);
        tar.putArchiveEntry(e);
        try (InputStream in = Compression.decompress(new BufferedInputStream(Files.newInputStream(blob), 1 << 16))) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }
    // end::save-docker[]

    // tag::save-oci[]
    private void ociArchive(List<Image> images, TarArchiveOutputStream tar) throws IOException {
        bytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        JsonArray descriptors = new JsonArray();
        Set<String> written = new LinkedHashSet<>();
        for (Image image : images) {
            byte[] manifest = ociManifest(image);
            Digest manifestDigest = Digest.of(manifest);
            JsonObject m = ConfigJson.parse(manifest, "manifest of " + image.reference());
            List<Digest> blobs = new ArrayList<>();
            blobs.add(Digest.parse(ConfigJson.string(m.getAsJsonObject("config"), "digest")));
            for (JsonElement l : m.getAsJsonArray("layers")) {
                blobs.add(Digest.parse(ConfigJson.string(l.getAsJsonObject(), "digest")));
            }
            for (Digest d : blobs) {
                if (written.add(d.hex())) {
                    file(tar, "blobs/sha256/" + d.hex(), store.blob(d));
                }
            }
            if (written.add(manifestDigest.hex())) {
                bytes(tar, "blobs/sha256/" + manifestDigest.hex(), manifest);
            }
            JsonObject desc = new JsonObject();
            desc.addProperty("mediaType", "application/vnd.oci.image.manifest.v1+json");
            desc.addProperty("digest", manifestDigest.toString());
            desc.addProperty("size", manifest.length);
            if (!image.tag().equals("<none>")) {
                JsonObject ann = new JsonObject();
                ann.addProperty(CONTAINERD_NAME, image.reference());
                ann.addProperty(REF_NAME, image.tag());
                desc.add("annotations", ann);
            }
            descriptors.add(desc);
        }
        JsonObject index = new JsonObject();
        index.addProperty("schemaVersion", 2);
        index.addProperty("mediaType", "application/vnd.oci.image.index.v1+json");
        index.add("manifests", descriptors);
        bytes(tar, "index.json", ImageStore.GSON.toJson(index).getBytes(StandardCharsets.UTF_8));
    }

    /** The stored manifest when it is an OCI one; a Docker v2 schema 2 one is rewritten with OCI media types. */
    private byte[] ociManifest(Image image) throws IOException {
        byte[] stored = Files.readAllBytes(store.blob(store.manifestDigest(image)));
        JsonObject m = ConfigJson.parse(stored, "manifest of " + image.reference());
        String type = ConfigJson.string(m, "mediaType");
        if (type.isEmpty() || type.equals("application/vnd.oci.image.manifest.v1+json")) {
            return stored;
        }
        m.addProperty("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.getAsJsonObject("config").addProperty("mediaType", "application/vnd.oci.image.config.v1+json");
        for (JsonElement l : m.getAsJsonArray("layers")) {
            JsonObject d = l.getAsJsonObject();
            Path blob = store.blob(Digest.parse(ConfigJson.string(d, "digest")));
            d.addProperty("mediaType", LayerIngest.mediaType(blob));
        }
        return ImageStore.GSON.toJson(m).getBytes(StandardCharsets.UTF_8);
    }
    // end::save-oci[]

    private StoredImage stored(Image image) {
        return store.readImage(image.id()).orElseThrow(() -> new ImageNotFoundException(image.reference()));
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0644);
        e.setModTime(0);
        return e;
    }

    private static void file(TarArchiveOutputStream tar, String name, Path from) throws IOException {
        tar.putArchiveEntry(entry(name, Files.size(from)));
        Files.copy(from, tar);
        tar.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] b) throws IOException {
        tar.putArchiveEntry(entry(name, b.length));
        tar.write(b);
        tar.closeArchiveEntry();
    }
}
