package dev.minidocker.ch15;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageReference;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.registry.AuthFile;
import dev.minidocker.container.registry.ImagePuller;
import dev.minidocker.container.registry.ImagePusher;
import dev.minidocker.container.registry.LocalRegistry;
import dev.minidocker.container.registry.Platform;
import dev.minidocker.container.registry.RegistryClient;
import dev.minidocker.container.registry.RegistryReference;
import dev.minidocker.sys.Privileged;

/** The chapter's claims: a step's layer is its diff with whiteouts, an unchanged rebuild is cached, a registry moves the image by digest. */
class ImagesFromRegistriesTest {
    @TempDir
    static Path tmp;
    private static Path context;
    private static Image built;
    private static String firstBuild;

    @BeforeAll
    static void build() throws Exception {
        Privileged.requireRoot();
        context = Main.context(tmp);
        firstBuild = Main.capture(out -> new dev.minidocker.container.build.Builder(tmp.resolve("store"), out)
                .build(Main.request(context, ImageReference.parse("ch15/test:1"))));
        built = ImageStore.open(tmp.resolve("store")).get("ch15/test:1");
    }

    @Test
    void aDeletionInAStepIsAWhiteoutInItsLayer() throws Exception {
        ImageStore s = ImageStore.open(tmp.resolve("store"));
        List<Digest> layers = s.diffIds(built);
        assertEquals(3, layers.size(), "busybox, the RUN step and the COPY step");
        List<String> run = Main.entries(s.blob(layers.get(1)));
        assertEquals(List.of("d 0755 0:0 app/", "- 0644 0:0 app/message", "d 0755 0:0 etc/", "- 0000 0:0 etc/.wh.group"), run);
        assertEquals(List.of("d 0755 0:0 app/", "- 0644 0:0 app/hello.txt"), Main.entries(s.blob(layers.get(2))));
    }

    @Test
    void theBuiltImageRunsAndSeesItsFilesButNotTheDeletedOne() {
        OneShot shot = new OneShot(tmp.resolve("store"), built, List.of("sh", "-c", "cat /app/message /app/hello.txt; ls /etc"));
        OneShot.Outcome o = shot.run();
        assertEquals(0, o.exitCode(), o.stderr());
        assertEquals("built by mini\nhello from the build context\npasswd\n", o.stdout());
    }

    @Test
    void anUnchangedRebuildIsAnsweredByTheCache() {
        assertTrue(!firstBuild.contains("CACHED"), firstBuild);
        String again = Main.capture(out -> new dev.minidocker.container.build.Builder(tmp.resolve("store"), out)
                .build(Main.request(context, ImageReference.parse("ch15/test:1"))));
        assertEquals(4, again.lines().filter(l -> l.startsWith("--> CACHED")).count(), again);
        assertTrue(again.contains("Successfully built " + Digest.parse(built.id()).shortHex()), again);
    }

    @Test
    void aPushedImageIsPulledBackByTheSameDigests() throws Exception {
        LocalRegistry.requireTools("docker-registry", "htpasswd");
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(tmp.resolve("registry"), "student", "s3cret")) {
            RegistryReference ref = RegistryReference.parse(registry.host() + "/ch15/test:1");
            var credentials = Optional.of(new AuthFile.Credentials("student", "s3cret"));
            Digest pushed = new ImagePusher(ImageStore.open(tmp.resolve("store")), new PrintStream(PrintStream.nullOutputStream()))
                    .push(built, ref, new RegistryClient(ref, false, credentials));
            RegistryClient client = new RegistryClient(ref, false, credentials);
            RegistryClient.Manifest m = client.manifest(ref.repository(), ref.tag());
            assertEquals(pushed, Digest.of(m.bytes()));
            assertEquals(built.id(), m.json().getAsJsonObject("config").get("digest").getAsString());
            ImageStore fresh = ImageStore.open(tmp.resolve("second"));
            ImagePuller.Pulled pulled = new ImagePuller(fresh, new PrintStream(PrintStream.nullOutputStream()))
                    .pull(ref, Platform.host(), new RegistryClient(ref, false, credentials));
            assertEquals(built.id(), pulled.image().id());
            assertEquals(ImageStore.open(tmp.resolve("store")).diffIds(built), fresh.diffIds(pulled.image()));
        }
    }
}
