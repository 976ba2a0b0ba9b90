package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.TestImages;
import dev.minidocker.sys.Privileged;

/** Redirects to blob storage carry no credentials; a pull killed mid-layer leaves nothing, and the next one completes. */
class RedirectAndInterruptTest {
    @TempDir
    Path tmp;

    private Path layout() throws Exception {
        return TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/one", "1\n")),
                TestImages.layer(TestImages.files("etc/two", "2\n", "etc/big", "x".repeat(300_000))),
                TestImages.layer(TestImages.files("etc/three", "3\n"))));
    }

    private static Image pull(ImageStore store, FakeRegistry r) {
        RegistryReference ref = RegistryReference.parse(r.host() + "/app:v1");
        return new ImagePuller(store, null).pull(ref, Platform.host(), new RegistryClient(ref, true,
                Optional.of(new AuthFile.Credentials(FakeRegistry.USER, FakeRegistry.PASSWORD)))).image();
    }

    @Test
    void layersRedirectedToAnotherHostAreFetchedWithoutTheRegistrysCredentials() throws Exception {
        Privileged.requireRoot();
        try (FakeRegistry r = new FakeRegistry(layout())) {
            Image image = pull(ImageStore.open(tmp.resolve("store")), r);
            assertEquals("3\n", Files.readString(image.layerDirs().get(2).resolve("etc/three")));
            assertEquals(List.of("null", "null", "null"), r.blobServerAuthorizations, "credentials leaked to the blob host");
        }
    }

    @Test
    void aPullKilledMidLayerLeavesTheStoreAsItWasAndTheNextPullCompletesIt() throws Exception {
        Privileged.requireRoot();
        Path storeDir = tmp.resolve("store");
        ImageStore store = ImageStore.open(storeDir);
        try (FakeRegistry r = new FakeRegistry(layout())) {
            r.stall = true;
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PullMain.class.getName(), storeDir.toString(),
                    r.host() + "/app:v1", FakeRegistry.USER, FakeRegistry.PASSWORD)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("pull.log").toFile()).start();
            try {
                assertTrue(r.halfSent.await(60, TimeUnit.SECONDS), "the pull never reached a layer");
            } finally {
                p.destroyForcibly(); // SIGKILL: no shutdown hook runs
                p.waitFor();
            }
            assertFalse(Files.readString(tmp.resolve("pull.log")).contains("pulled"));
            assertTrue(store.list().isEmpty(), "a killed pull left an image");
            try (Stream<Path> layers = Files.list(storeDir.resolve("layers"))) {
                assertEquals(0, layers.count(), "a killed pull left a layer");
            }

            r.stall = false;
            Image image = pull(store, r);
            assertEquals("1\n", Files.readString(image.layerDirs().get(0).resolve("etc/one")));
            assertEquals("2\n", Files.readString(image.layerDirs().get(1).resolve("etc/two")));
            try (Stream<Path> staged = Files.list(storeDir.resolve("tmp"))) {
                assertEquals(0, staged.count(), "the killed pull's staging directory was not removed");
            }
        }
    }
}
