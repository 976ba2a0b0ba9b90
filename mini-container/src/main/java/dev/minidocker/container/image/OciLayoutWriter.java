package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Writes an OCI image layout (oci-layout, index.json, blobs/sha256/...) from layer tars: the
 * smallest thing {@code mini load} reads, and a way to see what an image is made of.
 */
public final class OciLayoutWriter {
    private OciLayoutWriter() {
    }

    /** An image of uncompressed layer tars, lowest first, that runs {@code sh}, tagged {@code tag}. */
    public static void write(Path dir, String tag, List<byte[]> layers) throws IOException {
        write(dir, tag, layers, layers);
    }

    /** {@code plainLayers} are the uncompressed tars (for the diff_ids), {@code blobs} what is stored. */
    static void write(Path dir, String tag, List<byte[]> plainLayers, List<byte[]> blobs) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Digest> diffIds = new ArrayList<>();
        for (byte[] t : plainLayers) {
            diffIds.add(Digest.of(t));
        }
        ImageConfig run = new ImageConfig(List.of("PATH=/bin"), List.of(), List.of("sh"), "", "");
        byte[] config = ConfigJson.build(run, diffIds, "2020-01-01T00:00:00Z", "test").toString().getBytes(StandardCharsets.UTF_8);
        Digest configDigest = put(dir, config);
        List<StoredImage.Layer> layers = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            Digest d = put(dir, blobs.get(i));
            layers.add(new StoredImage.Layer(diffIds.get(i).toString(), d.toString(),
                    Compression.detect(new java.io.ByteArrayInputStream(blobs.get(i))).ociMediaType(), blobs.get(i).length, 0));
        }
        byte[] manifest = DefaultImages.manifest(configDigest, config.length, layers).toString().getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = put(dir, manifest);
        JsonObject desc = new JsonObject();
        desc.addProperty("mediaType", "application/vnd.oci.image.manifest.v1+json");
        desc.addProperty("digest", manifestDigest.toString());
        desc.addProperty("size", manifest.length);
        JsonObject ann = new JsonObject();
        ann.addProperty("org.opencontainers.image.ref.name", tag);
        desc.add("annotations", ann);
        JsonArray manifests = new JsonArray();
        manifests.add(desc);
        JsonObject index = new JsonObject();
        index.addProperty("schemaVersion", 2);
        index.add("manifests", manifests);
        Files.writeString(dir.resolve("index.json"), index.toString());
    }

    private static Digest put(Path dir, byte[] bytes) throws IOException {
        Digest d = Digest.of(bytes);
        Files.write(dir.resolve("blobs/sha256/" + d.hex()), bytes);
        return d;
    }
}
