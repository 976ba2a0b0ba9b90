package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.minidocker.sys.Privileged;

/** What {@code mini save} writes loads back into mini and is read by skopeo as the same image. */
class SaveAndHistoryTest {
    @TempDir
    Path tmp;

    private Image twoLayerImage(ImageStore store) throws Exception {
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/base", "base\n")),
                TestImages.layer(TestImages.files("etc/top", "top\n"))));
        return new ImageLoader(store, null).load(layout, "saved/app:v1").get(0);
    }

    private static Path save(ImageStore store, Path file, ImageSaver.Format f, String... refs) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            new ImageSaver(store).save(List.of(refs), f, out);
        }
        return file;
    }

    @Test
    void bothArchiveFormatsLoadBackAsTheSameImage() throws Exception {
        Privileged.requireRoot();
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = twoLayerImage(store);
        for (ImageSaver.Format f : ImageSaver.Format.values()) {
            Path archive = save(store, tmp.resolve(f + ".tar"), f, "saved/app:v1");
            ImageStore other = ImageStore.open(tmp.resolve("store-" + f));
            Image back = new ImageLoader(other, null).load(archive).get(0);
            assertEquals(image.id(), back.id(), f.toString());
            assertEquals("saved/app:v1", back.reference(), f.toString());
            assertEquals("top\n", Files.readString(back.layerDirs().get(1).resolve("etc/top")), f.toString());
        }
    }

    @Test
    void skopeoReadsBothArchivesWithTheImagesConfigAndLayers() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Fixture.onPath("skopeo"), "needs skopeo");
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = twoLayerImage(store);
        Path docker = save(store, tmp.resolve("d.tar"), ImageSaver.Format.DOCKER_ARCHIVE, "saved/app:v1");
        Path oci = save(store, tmp.resolve("o.tar"), ImageSaver.Format.OCI_ARCHIVE, "saved/app:v1");
        JsonObject fromDocker = JsonParser.parseString(Fixture.run(tmp, "skopeo", "inspect", "--config", "docker-archive:" + docker))
                .getAsJsonObject();
        JsonObject fromOci = JsonParser.parseString(Fixture.run(tmp, "skopeo", "inspect", "--raw", "oci-archive:" + oci))
                .getAsJsonObject();
        assertEquals(store.configJson(image).getAsJsonObject("rootfs"), fromDocker.getAsJsonObject("rootfs"));
        assertEquals(image.id(), fromOci.getAsJsonObject("config").get("digest").getAsString());
        // skopeo copies the docker archive into an OCI layout: the layers are the diff_ids' plain tars
        Fixture.run(tmp, "skopeo", "copy", "docker-archive:" + docker, "oci:" + tmp.resolve("copied") + ":v1");
        assertTrue(Files.exists(tmp.resolve("copied/blobs/sha256").resolve(Digest.parse(image.id()).hex())));
    }

    @Test
    void historyListsTheConfigsStepsNewestFirstWithLayerSizes() throws Exception {
        Privileged.requireRoot();
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = twoLayerImage(store);
        List<ImageHistory.Row> rows = new ImageHistory(store).history("saved/app:v1", Instant.parse("2020-01-08T00:00:00Z"));
        // the test layout's config describes its first layer only: the second comes last, newest, undescribed
        assertEquals(2, rows.size(), rows.toString());
        assertEquals(image.shortId(), rows.get(0).image());
        assertEquals("", rows.get(0).createdBy());
        assertEquals(4, rows.get(0).size(), "the top layer holds 'top\\n'");
        assertEquals("<missing>", rows.get(1).image());
        assertEquals("test", rows.get(1).createdBy());
        assertEquals("7 days ago", rows.get(1).created());
        assertEquals(5, rows.get(1).size(), "the base layer holds 'base\\n'");
        String table = new ImageHistory(store).table("saved/app:v1", Instant.now(), false);
        assertTrue(table.startsWith("IMAGE          CREATED          CREATED BY"), table);
    }
}
