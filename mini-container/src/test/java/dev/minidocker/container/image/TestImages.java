package dev.minidocker.container.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Small OCI image layouts for tests that need an image somewhere else first (a registry): gzip
 * layers of given files, optionally with a static busybox underneath so a container can run
 * {@code cat}, and multi-platform indexes.
 */
public final class TestImages {
    private static final FileTime MTIME = FileTime.from(Instant.parse("2021-02-03T04:05:06Z"));
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private TestImages() {
    }

    /** One layer: file name (no leading slash) to content. */
    public static Map<String, String> files(String... nameThenContent) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameThenContent.length; i += 2) {
            m.put(nameThenContent[i], nameThenContent[i + 1]);
        }
        return m;
    }

    /** A layer with busybox as /bin/busybox, and /bin/sh and /bin/cat linked to it. */
    public static byte[] busyboxLayer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LayerBuilder b = new LayerBuilder(out, MTIME)) {
            b.file("bin/busybox", 0755, BUSYBOX);
            b.symlink("bin/sh", "busybox");
            b.symlink("bin/cat", "busybox");
            b.dir("tmp", 01777);
        }
        return out.toByteArray();
    }

    public static byte[] layer(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LayerBuilder b = new LayerBuilder(out, MTIME)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                b.file(f.getKey(), 0644, f.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    public static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    /** A one-image OCI layout in {@code dir} whose layers (plain tars, lowest first) are stored gzipped. */
    public static Path layout(Path dir, String tag, List<byte[]> plainLayers) throws IOException {
        List<byte[]> blobs = new ArrayList<>();
        for (byte[] l : plainLayers) {
            blobs.add(gzip(l));
        }
        OciLayoutWriter.write(dir, tag, plainLayers, blobs);
        return dir;
    }

    /**
     * A layout whose {@code tag} names an image index with one image per architecture (linux/ARCH),
     * plus a buildx-style attestation entry that a puller must skip.
     */
    public static Path multiPlatform(Path dir, String tag, Map<String, List<byte[]>> layersByArch) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        JsonArray manifests = new JsonArray();
        for (Map.Entry<String, List<byte[]>> a : layersByArch.entrySet()) {
            Path one = Files.createTempDirectory(dir.getParent(), "arch-");
            layout(one, a.getKey(), a.getValue());
            try (var s = Files.list(one.resolve("blobs/sha256"))) {
                for (Path b : s.toList()) {
                    Files.copy(b, dir.resolve("blobs/sha256").resolve(b.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            JsonObject desc = com.google.gson.JsonParser.parseString(Files.readString(one.resolve("index.json")))
                    .getAsJsonObject().getAsJsonArray("manifests").get(0).getAsJsonObject();
            desc.remove("annotations");
            JsonObject platform = new JsonObject();
            platform.addProperty("architecture", a.getKey());
            platform.addProperty("os", "linux");
            desc.add("platform", platform);
            manifests.add(desc);
            Io.deleteTree(one);
        }
        // an attestation points at a manifest too; reuse the first one's descriptor
        JsonObject att = manifests.get(0).getAsJsonObject().deepCopy();
        JsonObject unknown = new JsonObject();
        unknown.addProperty("architecture", "unknown");
        unknown.addProperty("os", "unknown");
        att.add("platform", unknown);
        JsonObject attAnn = new JsonObject();
        attAnn.addProperty("vnd.docker.reference.type", "attestation-manifest");
        attAnn.addProperty("vnd.docker.reference.digest", manifests.get(0).getAsJsonObject().get("digest").getAsString());
        att.add("annotations", attAnn);
        manifests.add(att);
        JsonObject index = new JsonObject();
        index.addProperty("schemaVersion", 2);
        index.addProperty("mediaType", "application/vnd.oci.image.index.v1+json");
        index.add("manifests", manifests);
        byte[] indexBytes = index.toString().getBytes(StandardCharsets.UTF_8);
        Digest indexDigest = Digest.of(indexBytes);
        Files.write(dir.resolve("blobs/sha256").resolve(indexDigest.hex()), indexBytes);
        JsonObject top = new JsonObject();
        top.addProperty("mediaType", "application/vnd.oci.image.index.v1+json");
        top.addProperty("digest", indexDigest.toString());
        top.addProperty("size", indexBytes.length);
        JsonObject ann = new JsonObject();
        ann.addProperty("org.opencontainers.image.ref.name", tag);
        top.add("annotations", ann);
        JsonArray topManifests = new JsonArray();
        topManifests.add(top);
        JsonObject topIndex = new JsonObject();
        topIndex.addProperty("schemaVersion", 2);
        topIndex.add("manifests", topManifests);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), topIndex.toString());
        return dir;
    }

    /** The compression of a blob, by its first bytes. */
    public static Compression compression(byte[] blob) throws IOException {
        return Compression.detect(new ByteArrayInputStream(blob));
    }
}
