package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageException;
import dev.minidocker.container.image.ImageLoader;
import dev.minidocker.container.image.ImageReference;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.TestImages;
import dev.minidocker.sys.Privileged;

/**
 * Against a real registry (docker-registry 2.8 on 127.0.0.1, no authentication), cross-checked
 * with skopeo both ways: what skopeo pushes, mini pulls; what mini pushes, skopeo reads back.
 */
class RegistryRoundTripTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    private static LocalRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        Privileged.requireRoot(); // unpacking layers keeps their owners
        LocalRegistry.requireTools("docker-registry", "skopeo");
        registry = LocalRegistry.start(shared.resolve("registry"));
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private static void skopeoPush(Path layout, String tag, String repo, boolean all) throws Exception {
        if (all) {
            LocalRegistry.run("skopeo", "copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":" + tag,
                    "docker://" + registry.host() + "/" + repo);
        } else {
            LocalRegistry.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":" + tag,
                    "docker://" + registry.host() + "/" + repo);
        }
    }

    private record Pull(ImagePuller.Pulled pulled, String progress) {
    }

    private static Pull pull(ImageStore store, String name, Platform platform) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RegistryReference ref = RegistryReference.parse(name);
        ImagePuller.Pulled p = new ImagePuller(store, new PrintStream(log, true, StandardCharsets.UTF_8))
                .pull(ref, platform, new RegistryClient(ref, true, Optional.empty()));
        return new Pull(p, log.toString(StandardCharsets.UTF_8));
    }

    private static JsonObject rawManifest(String name) throws Exception {
        return JsonParser.parseString(LocalRegistry.run("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + registry.host() + "/" + name)).getAsJsonObject();
    }

    private static String skopeoDigest(String name) throws Exception {
        return JsonParser.parseString(LocalRegistry.run("skopeo", "inspect", "--tls-verify=false",
                "docker://" + registry.host() + "/" + name)).getAsJsonObject().get("Digest").getAsString();
    }

    @Test
    void whatSkopeoPushedIsPulledLayerByLayerAndAPresentLayerIsNotFetchedAgain() throws Exception {
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/greeting", "hello from the registry\n")),
                TestImages.layer(TestImages.files("etc/second", "second layer\n"))));
        skopeoPush(layout, "v1", "test/app:v1", false);
        ImageStore store = ImageStore.open(tmp.resolve("store"));

        Pull first = pull(store, registry.host() + "/test/app:v1", Platform.host());
        Image image = first.pulled().image();
        assertEquals(registry.host() + "/test/app:v1", image.reference());
        assertEquals("hello from the registry\n", Files.readString(image.layerDirs().get(0).resolve("etc/greeting")));
        assertEquals("second layer\n", Files.readString(image.layerDirs().get(1).resolve("etc/second")));
        assertEquals(skopeoDigest("test/app:v1"), first.pulled().manifest().toString());
        assertEquals(2, first.progress().lines().filter(l -> l.endsWith(": Pull complete")).count(), first.progress());
        assertTrue(image.sizeBytes() > 0, "unpacked bytes are recorded");

        // the same layers under another name: nothing is downloaded
        skopeoPush(layout, "v1", "test/copy:v1", false);
        Pull second = pull(store, registry.host() + "/test/copy:v1", Platform.host());
        assertFalse(second.pulled().downloadedAny(), second.progress());
        assertEquals(2, second.progress().lines().filter(l -> l.endsWith(": Already exists")).count(), second.progress());
        assertEquals(image.id(), second.pulled().image().id());

        // by digest: found in the store by that digest
        String byDigest = registry.host() + "/test/app@" + first.pulled().manifest();
        assertEquals(image.id(), pull(store, byDigest, Platform.host()).pulled().image().id());
        assertEquals(image.id(), store.get(byDigest).id());
    }

    @Test
    void aLargeBlobGoesUpInChunksAndArrivesWhole() throws Exception {
        // 3 MB that gzip cannot shrink, pushed in 1 MB chunks
        byte[] noise = new byte[3 << 20];
        new java.util.Random(42).nextBytes(noise);
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/noise", new String(noise, StandardCharsets.ISO_8859_1)))));
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image loaded = new ImageLoader(store, null).load(layout, "local/noise:v1").get(0);
        String name = registry.host() + "/chunked/noise:v1";
        store.tag(loaded, ImageReference.parse(name));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RegistryReference ref = RegistryReference.parse(name);
        Digest pushed = new ImagePusher(store, new PrintStream(log, true, StandardCharsets.UTF_8))
                .push(store.get(name), ref, new RegistryClient(ref, true, Optional.empty()).chunkBytes(1 << 20));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains(": Pushed (in 4 chunks)"), log.toString());
        assertEquals(pushed.toString(), skopeoDigest("chunked/noise:v1"));
        Image back = pull(ImageStore.open(tmp.resolve("store-back")), name, Platform.host()).pulled().image();
        assertEquals(loaded.id(), back.id());
        byte[] content = new String(noise, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8); // as TestImages wrote it
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(back.layerDirs().get(0).resolve("etc/noise")), content),
                "the layer came back byte for byte");
    }

    @Test
    void aDockerSchema2ImageIsPulledAndSavedAsAnOciArchiveWithOciMediaTypes() throws Exception {
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/docker", "docker media types\n"))));
        LocalRegistry.run("skopeo", "copy", "--format", "v2s2", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + registry.host() + "/test/v2s2:v1");
        assertEquals("application/vnd.docker.distribution.manifest.v2+json",
                rawManifest("test/v2s2:v1").get("mediaType").getAsString());
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = pull(store, registry.host() + "/test/v2s2:v1", Platform.host()).pulled().image();
        assertEquals("docker media types\n", Files.readString(image.layerDirs().get(0).resolve("etc/docker")));

        Path archive = tmp.resolve("v2s2.oci.tar");
        try (var out = Files.newOutputStream(archive)) {
            new dev.minidocker.container.image.ImageSaver(store).save(List.of(image.reference()),
                    dev.minidocker.container.image.ImageSaver.Format.OCI_ARCHIVE, out);
        }
        JsonObject saved = JsonParser.parseString(LocalRegistry.run("skopeo", "inspect", "--raw", "oci-archive:" + archive))
                .getAsJsonObject();
        assertEquals("application/vnd.oci.image.manifest.v1+json", saved.get("mediaType").getAsString());
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip",
                saved.getAsJsonArray("layers").get(0).getAsJsonObject().get("mediaType").getAsString());
        Image back = new ImageLoader(ImageStore.open(tmp.resolve("store-back")), null).load(archive).get(0);
        assertEquals(image.id(), back.id());

        // and pushed elsewhere as it came: the Docker manifest, byte for byte
        String again = registry.host() + "/test/v2s2-again:v1";
        store.tag(image, ImageReference.parse(again));
        RegistryReference ref = RegistryReference.parse(again);
        Digest pushed = new ImagePusher(store, null).push(store.get(again), ref, new RegistryClient(ref, true, Optional.empty()));
        assertEquals(skopeoDigest("test/v2s2:v1"), pushed.toString());
        assertEquals("application/vnd.docker.distribution.manifest.v2+json",
                rawManifest("test/v2s2-again:v1").get("mediaType").getAsString());
    }

    @Test
    void aLayerFirstLoadedFromAPlainTarGetsItsRegistryBlobSoThePulledImageCanBePushed() throws Exception {
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/plain", "first from a docker archive\n"))));
        skopeoPush(layout, "v1", "test/plain:v1", false);
        ImageStore first = ImageStore.open(tmp.resolve("store-first"));
        Image loaded = new ImageLoader(first, null).load(layout, "x:v1").get(0);
        Path archive = tmp.resolve("plain.docker.tar");
        try (var out = Files.newOutputStream(archive)) {
            new dev.minidocker.container.image.ImageSaver(first).save(List.of("x:v1"),
                    dev.minidocker.container.image.ImageSaver.Format.DOCKER_ARCHIVE, out);
        }
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        new ImageLoader(store, null).load(archive); // the layer is now here, from its plain tar

        Pull p = pull(store, registry.host() + "/test/plain:v1", Platform.host());
        assertTrue(p.progress().contains(": Pull complete"), "the gzip blob was fetched: " + p.progress());
        assertEquals(loaded.id(), p.pulled().image().id());
        String again = registry.host() + "/test/plain-again:v1";
        store.tag(p.pulled().image(), ImageReference.parse(again));
        RegistryReference ref = RegistryReference.parse(again);
        Digest pushed = new ImagePusher(store, null).push(store.get(again), ref, new RegistryClient(ref, true, Optional.empty()));
        assertEquals(skopeoDigest("test/plain:v1"), pushed.toString());
    }

    @Test
    void aCorruptedBlobOnTheRegistryIsRefusedNamingBothDigestsAndNothingIsStored() throws Exception {
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/data", "the original content\n"))));
        skopeoPush(layout, "v1", "test/corrupt:v1", false);
        String layer = rawManifest("test/corrupt:v1").getAsJsonArray("layers").get(0).getAsJsonObject().get("digest").getAsString();
        Path data = registry.blobData(Digest.parse(layer).hex());
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55; // one byte flipped in the registry's own storage
        Files.write(data, bytes);
        String actual = Digest.of(bytes).toString();

        ImageStore store = ImageStore.open(tmp.resolve("store"));
        ImageException e = assertThrows(ImageException.class,
                () -> pull(store, registry.host() + "/test/corrupt:v1", Platform.host()));
        assertTrue(e.getMessage().contains("expected " + layer + ", got " + actual), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(store.list().isEmpty());
        try (Stream<Path> layers = Files.list(store.root().resolve("layers"));
             Stream<Path> staged = Files.list(store.root().resolve("tmp"))) {
            assertEquals(0, layers.count());
            assertEquals(0, staged.count());
        }
    }

    @Test
    void aMultiPlatformIndexGivesTheHostsImageOrTheOneAskedFor() throws Exception {
        Map<String, List<byte[]>> perArch = new LinkedHashMap<>();
        perArch.put("arm64", List.of(TestImages.layer(TestImages.files("etc/arch", "built for arm64\n"))));
        perArch.put("amd64", List.of(TestImages.layer(TestImages.files("etc/arch", "built for amd64\n"))));
        Path layout = TestImages.multiPlatform(tmp.resolve("multi"), "multi", perArch);
        skopeoPush(layout, "multi", "test/multi:v1", true);
        assertEquals(3, rawManifest("test/multi:v1").getAsJsonArray("manifests").size(), "the index reached the registry whole");

        Image host = pull(ImageStore.open(tmp.resolve("store-host")), registry.host() + "/test/multi:v1", Platform.host())
                .pulled().image();
        assertEquals("built for " + Platform.host().architecture() + "\n",
                Files.readString(host.layerDirs().get(0).resolve("etc/arch")));
        Image arm = pull(ImageStore.open(tmp.resolve("store-arm")), registry.host() + "/test/multi:v1", Platform.parse("linux/arm64"))
                .pulled().image();
        assertEquals("built for arm64\n", Files.readString(arm.layerDirs().get(0).resolve("etc/arch")));
        RegistryException none = assertThrows(RegistryException.class, () -> pull(ImageStore.open(tmp.resolve("store-x")),
                registry.host() + "/test/multi:v1", Platform.parse("linux/riscv64")));
        assertTrue(none.getMessage().contains("offers linux/arm64, linux/amd64)"), none.getMessage());
    }

    @Test
    void whatMiniPushedSkopeoReadsBackWithTheSameDigestsAndASecondRepositoryMounts() throws Exception {
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/pushed", "pushed by mini\n")),
                TestImages.layer(TestImages.files("etc/top", "top\n"))));
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image loaded = new ImageLoader(store, null).load(layout, "local/app:v1").get(0);
        String name = registry.host() + "/pushed/app:v1";
        store.tag(loaded, ImageReference.parse(name));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RegistryReference ref = RegistryReference.parse(name);
        ImagePusher pusher = new ImagePusher(store, new PrintStream(log, true, StandardCharsets.UTF_8));
        Digest pushed = pusher.push(store.get(name), ref, new RegistryClient(ref, true, Optional.empty()));

        assertEquals(pushed.toString(), skopeoDigest("pushed/app:v1"));
        assertEquals(store.manifestDigest(loaded), pushed, "the stored manifest went up byte for byte");
        Path back = tmp.resolve("back");
        LocalRegistry.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + name, "oci:" + back + ":v1");
        JsonObject backIndex = JsonParser.parseString(Files.readString(back.resolve("index.json"))).getAsJsonObject();
        assertEquals(pushed.toString(), backIndex.getAsJsonArray("manifests").get(0).getAsJsonObject().get("digest").getAsString());
        assertTrue(Files.exists(back.resolve("blobs/sha256").resolve(Digest.parse(loaded.id()).hex())), "the config came back");
        assertEquals(3, log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.endsWith(": Pushed")).count(), log.toString());

        // again: every blob is there already
        log.reset();
        pusher.push(store.get(name), ref, new RegistryClient(ref, true, Optional.empty()));
        assertEquals(3, log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.endsWith(": Layer already exists")).count(), log.toString());

        // another repository on the same registry: mounted, not uploaded
        log.reset();
        String other = registry.host() + "/elsewhere/app:v1";
        store.tag(loaded, ImageReference.parse(other));
        RegistryReference otherRef = RegistryReference.parse(other);
        pusher.push(store.get(other), otherRef, new RegistryClient(otherRef, true, Optional.empty()));
        assertEquals(3, log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.endsWith(": Mounted from pushed/app")).count(),
                log.toString());
        assertEquals(pushed.toString(), skopeoDigest("elsewhere/app:v1"));
    }
}
