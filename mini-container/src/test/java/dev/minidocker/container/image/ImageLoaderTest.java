package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Images made by umoci and converted by skopeo, loaded and compared with what {@code umoci raw unpack} gives. */
class ImageLoaderTest {
    @TempDir
    Path tmp;

    private ImageStore store() {
        return ImageStore.open(tmp.resolve("store"));
    }

    private List<Image> load(ImageStore store, Path source) {
        return new ImageLoader(store, null).load(source);
    }

    /** The loaded image, flattened and mounted as overlay, is exactly umoci's own unpacked tree. */
    private void assertSameTreeAsUmoci(ImageStore store, Image image) throws Exception {
        List<String> expected = LayerSemanticsTest.tree(Fixture.get().resolve("flat"));
        Path flat = tmp.resolve("flat-" + image.shortId());
        Flattener.flatten(store, image, flat, null);
        assertEquals(expected, LayerSemanticsTest.tree(flat));
        assertEquals(expected, Fixture.overlayTree(image, tmp.resolve("mnt-" + image.shortId())));
    }

    @Test
    void dockerArchiveFromSkopeoLoadsWithItsTagConfigAndLayers() throws Exception {
        ImageStore store = store();
        List<Image> images = load(store, Fixture.get().resolve("fx-docker.tar"));
        assertEquals(1, images.size());
        Image image = images.get(0);
        assertEquals("fixture:v2", image.reference());
        assertEquals(2, image.layerDirs().size());
        assertEquals(List.of("sh"), image.config().cmd());
        assertTrue(image.config().env().contains("A=1"), image.config().env().toString());
        assertEquals("/data", image.config().workingDir());
        assertSameTreeAsUmoci(store, image);
    }

    @Test
    void ociArchiveWithGzipLayersLoads() throws Exception {
        ImageStore store = store();
        Image image = load(store, Fixture.get().resolve("fx-oci.tar")).get(0);
        assertEquals("fx-oci:v2", image.reference()); // an OCI ref.name is a tag only: the name comes from the file
        assertSameTreeAsUmoci(store, image);
    }

    @Test
    void ociArchiveWithZstdLayersLoads() throws Exception {
        ImageStore store = store();
        Image image = load(store, Fixture.get().resolve("fx-zstd.tar")).get(0);
        assertSameTreeAsUmoci(store, image);
    }

    @Test
    void ociLayoutDirectoryLoadsEveryTag() throws Exception {
        ImageStore store = store();
        List<Image> images = new ImageLoader(store, null).load(Fixture.get().resolve("oci"), "fixture");
        List<String> refs = images.stream().map(Image::reference).sorted().toList();
        assertEquals(List.of("fixture:fx", "fx:v1", "fx:v2"), refs);
        assertSameTreeAsUmoci(store, store.get("fx:v2"));
        assertEquals(1, store.get("fx:v1").layerDirs().size());
    }

    @Test
    void olderDockerLayoutWithPerLayerDirectoriesLoadsFromAGzipArchive() throws Exception {
        Path x = Files.createDirectory(tmp.resolve("old"));
        Fixture.run(x, "tar", "xf", Fixture.get().resolve("fx-docker.tar").toString());
        JsonArray manifest = JsonParser.parseString(Files.readString(x.resolve("manifest.json"))).getAsJsonArray();
        JsonObject m = manifest.get(0).getAsJsonObject();
        // docker before 25 named layers ID/layer.tar; skopeo writes those too, as symbolic links
        JsonArray layers = new JsonArray();
        for (var l : m.getAsJsonArray("Layers")) {
            layers.add(v1DirFor(x, l.getAsString()) + "/layer.tar");
        }
        m.add("Layers", layers);
        Files.writeString(x.resolve("manifest.json"), manifest.toString());
        Fixture.run(x, "sh", "-c", "tar czf ../old.tar.gz *");
        ImageStore store = store();
        Image image = load(store, tmp.resolve("old.tar.gz")).get(0);
        assertEquals("fixture:v2", image.reference());
        assertSameTreeAsUmoci(store, image);
    }

    private static String v1DirFor(Path x, String layerFile) throws IOException {
        try (Stream<Path> s = Files.list(x)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                Path lt = d.resolve("layer.tar");
                if (Files.isSymbolicLink(lt) && Files.readSymbolicLink(lt).getFileName().toString().equals(layerFile)) {
                    return d.getFileName().toString();
                }
            }
        }
        throw new AssertionError("no ID/layer.tar for " + layerFile);
    }

    @Test
    void newerDockerLayoutWithIndexAndBlobsLoadsFromAZstdArchive() throws Exception {
        Path x = Files.createDirectory(tmp.resolve("new"));
        Fixture.run(x, "tar", "xf", Fixture.get().resolve("fx-oci.tar").toString());
        JsonObject index = JsonParser.parseString(Files.readString(x.resolve("index.json"))).getAsJsonObject();
        String manifestDigest = index.getAsJsonArray("manifests").get(0).getAsJsonObject().get("digest").getAsString();
        JsonObject ociManifest = JsonParser.parseString(Files.readString(x.resolve("blobs/sha256/" + manifestDigest.substring(7))))
                .getAsJsonObject();
        JsonObject m = new JsonObject();
        m.addProperty("Config", "blobs/sha256/" + ociManifest.getAsJsonObject("config").get("digest").getAsString().substring(7));
        JsonArray tags = new JsonArray();
        tags.add("docker.io/library/newlayout:1");
        m.add("RepoTags", tags);
        JsonArray layers = new JsonArray();
        for (var l : ociManifest.getAsJsonArray("layers")) {
            layers.add("blobs/sha256/" + l.getAsJsonObject().get("digest").getAsString().substring(7));
        }
        m.add("Layers", layers);
        JsonArray manifest = new JsonArray();
        manifest.add(m);
        Files.writeString(x.resolve("manifest.json"), manifest.toString());
        Fixture.run(x, "sh", "-c", "tar cf - * | zstd -q -o ../new.tar.zst");
        ImageStore store = store();
        Image image = load(store, tmp.resolve("new.tar.zst")).get(0);
        assertEquals("newlayout:1", image.reference());
        assertSameTreeAsUmoci(store, image);
    }

    @Test
    void filesDeletedInTheUpperLayerAreAbsentInsideTheContainer() throws Exception {
        ImageStore store = store();
        Image image = load(store, Fixture.get().resolve("fx-docker.tar")).get(0);
        assertEquals("hard\nkeep", Fixture.runInside(image, tmp, "ls /data"));
        assertEquals("b", Fixture.runInside(image, tmp, "ls /opq"));
        assertEquals("keep", Fixture.runInside(image, tmp, "cat /data/keep"));
    }

    @Test
    void aLayerSharedByTwoImagesIsUnpackedOnce() throws Exception {
        ImageStore store = store();
        Image a = load(store, Fixture.get().resolve("fx-docker.tar")).get(0);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Image b = new ImageLoader(store, new PrintStream(progress, true, StandardCharsets.UTF_8))
                .load(Fixture.get().resolve("fx-oci.tar")).get(0);
        assertEquals(a.layerDirs(), b.layerDirs());
        assertEquals(a.id(), b.id()); // same config: the same image under two names
        try (Stream<Path> s = Files.list(store.layersDir())) {
            assertEquals(2, s.count());
        }
        assertEquals(2, progress.toString(StandardCharsets.UTF_8).split("already present", -1).length - 1, progress.toString());
    }

    @Test
    void anImageWhoseLayersArePresentIsLoadedWithoutUnpackingOrStoringThemAgain() throws Exception {
        ImageStore store = store();
        load(store, Fixture.get().resolve("fx-oci.tar"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Image again = new ImageLoader(store, new PrintStream(progress, true, StandardCharsets.UTF_8))
                .load(Fixture.get().resolve("fx-docker.tar")).get(0);
        assertEquals(2, progress.toString(StandardCharsets.UTF_8).split("already present", -1).length - 1, progress.toString());
        // the docker archive's plain layer tars are not kept: the store has the OCI archive's gzip blobs only
        for (String layer : List.of(store.readImage(again.id()).orElseThrow().layers().get(0).digest())) {
            assertFalse(Files.exists(store.blobPath(Digest.parse(layer))), layer);
        }
        assertSameTreeAsUmoci(store, again);
    }

    @Test
    void aCorruptLayerBlobIsRefusedWithBothDigestsAndNothingIsLeft() throws Exception {
        Path layout = tmp.resolve("corrupt");
        Fixture.run(tmp, "cp", "-a", Fixture.get().resolve("oci").toString(), layout.toString());
        Path blob = largestBlob(layout);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 1;
        Files.write(blob, bytes);
        ImageStore store = store();
        ImageException e = assertThrows(ImageException.class, () -> new ImageLoader(store, null).load(layout, "corrupt"));
        assertTrue(e.getMessage().contains("expected sha256:" + blob.getFileName()), e.getMessage());
        assertTrue(e.getMessage().contains("got sha256:" + Digest.ofFile(blob).hex()), e.getMessage());
        assertStoreEmpty(store);
    }

    @Test
    void aLayerWhoseContentDoesNotMatchItsDiffIdIsRefusedAndNothingIsLeft() throws Exception {
        Path x = Files.createDirectory(tmp.resolve("bad"));
        Fixture.run(x, "tar", "xf", Fixture.get().resolve("fx-docker.tar").toString());
        JsonObject m = JsonParser.parseString(Files.readString(x.resolve("manifest.json"))).getAsJsonArray().get(0).getAsJsonObject();
        String second = m.getAsJsonArray("Layers").get(1).getAsString();
        // rename the layer so that its file name promises nothing; only the config's diff_id can catch it
        Path renamed = Files.createDirectories(x.resolve("v1")).resolve("layer.tar");
        Files.move(x.resolve(second), renamed);
        byte[] tar = Files.readAllBytes(renamed);
        String text = new String(tar, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("b\n"); // the content of opq/b
        tar[at] = 'c';
        Files.write(renamed, tar);
        Files.writeString(x.resolve("manifest.json"), Files.readString(x.resolve("manifest.json")).replace(second, "v1/layer.tar"));
        Fixture.run(x, "sh", "-c", "tar cf ../bad.tar *");
        ImageStore store = store();
        ImageException e = assertThrows(ImageException.class, () -> load(store, tmp.resolve("bad.tar")));
        assertTrue(e.getMessage().contains("digest mismatch for layer 2/2"), e.getMessage());
        assertTrue(e.getMessage().contains("(uncompressed): expected sha256:" + second.replace(".tar", "")), e.getMessage());
        assertStoreEmpty(store);
    }

    @Test
    void rmiKeepsLayersAnotherImageUsesAndRemovesTheRest() throws Exception {
        ImageStore store = store();
        load(store, Fixture.get().resolve("fx-docker.tar"));
        load(store, Fixture.get().resolve("fx-oci.tar"));
        ImageRemover rmi = new ImageRemover(store);
        assertEquals(List.of("Untagged: fixture:v2"), rmi.remove("fixture:v2"));
        assertTrue(store.find("fixture:v2").isEmpty());
        Image left = store.get("fx-oci:v2");
        for (Path l : left.layerDirs()) {
            assertTrue(Files.isDirectory(l), l + " is still used by fx-oci:v2");
        }
        // fx-oci:v2 found its layers unpacked and brought no blob; the ones it was unpacked from stay
        assertSameTreeAsUmoci(store, left);
        List<String> done = rmi.remove("fx-oci:v2");
        assertTrue(done.contains("Deleted: " + left.id()), done.toString());
        assertStoreEmpty(store);
    }

    @Test
    void inspectShowsTheRunSettings() throws Exception {
        ImageStore store = store();
        load(store, Fixture.get().resolve("fx-docker.tar"));
        JsonObject o = JsonParser.parseString(new ImageInspector(store).inspect("fixture:v2")).getAsJsonObject();
        JsonObject c = o.getAsJsonObject("Config");
        assertEquals("[\"sh\"]", c.get("Cmd").toString());
        assertEquals("/data", c.get("WorkingDir").getAsString());
        assertTrue(c.get("Env").toString().contains("A=1"));
        assertEquals(2, o.getAsJsonArray("Layers").size());
        assertEquals("[\"fixture:v2\"]", o.get("RepoTags").toString());
    }

    @Test
    void somethingThatIsNoImageGetsAClearError() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.tar"), "not a tar at all");
        ImageException e = assertThrows(ImageException.class, () -> load(store(), junk));
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        ImageException missing = assertThrows(ImageException.class, () -> load(store(), tmp.resolve("nope.tar")));
        assertEquals("cannot load " + tmp.resolve("nope.tar") + ": no such file or directory", missing.getMessage());
    }

    static Path largestBlob(Path layout) throws IOException {
        try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
            return s.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
    }

    static void assertStoreEmpty(ImageStore store) throws IOException {
        assertEquals(List.of(), store.list());
        for (Path d : List.of(store.layersDir(), store.root().resolve("layerblobs"), store.blobDir(), store.imagesDir(),
                store.tmpDir())) {
            try (Stream<Path> s = Files.list(d)) {
                assertEquals(List.of(), s.toList(), d + " should be empty");
            }
        }
    }

    static List<String> lines(ByteArrayOutputStream out) {
        return new ArrayList<>(out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
