package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;

/** Whatever a SIGKILL leaves in the store is finished or removed by the next command that takes its lock. */
class StoreUnderFaultsTest {
    @TempDir
    Path tmp;

    private Path layout(String name, String content) throws Exception {
        return TestImages.layout(tmp.resolve(name), "v1", List.of(
                TestImages.layer(TestImages.files("etc/a", content)),
                TestImages.layer(TestImages.files("etc/b", content + content))));
    }

    private int killedLoad(Path store, Path source, String name, String step) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledLoadMain.class.getName(),
                store.toString(), source.toString(), name, step).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(137, p.waitFor(), "the load did not die at '" + step + "': " + out);
        return 137;
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aLoadKilledAfterItsFirstLayerWasMovedInIsFinishedByTheNextLoad() throws Exception {
        Privileged.requireRoot();
        Path storeDir = tmp.resolve("store");
        ImageStore store = ImageStore.open(storeDir);
        killedLoad(storeDir, layout("killed", "killed\n"), "killed:v1", "layer moved");
        // what the kill left: one layer in place, listed by no image, and the staging directory
        assertEquals(1, count(storeDir.resolve("layers")));
        assertTrue(store.list().isEmpty());
        assertEquals(1, count(storeDir.resolve("tmp")));

        new ImageLoader(store, null).load(layout("other", "other\n"), "other:v1");
        Image finished = store.get("killed:v1");
        assertEquals("killed\nkilled\n", Files.readString(finished.layerDirs().get(1).resolve("etc/b")));
        assertEquals(7 + 14, finished.sizeBytes(), "unpacked bytes as the killed load measured them");
        assertEquals(0, count(storeDir.resolve("tmp")));
        assertEquals(4, count(storeDir.resolve("layers")));
    }

    @Test
    void aLoadKilledWhileUnpackingLeavesAStagingDirectoryThatTheNextLockRemoves() throws Exception {
        Privileged.requireRoot();
        Path storeDir = tmp.resolve("store");
        ImageStore store = ImageStore.open(storeDir);
        killedLoad(storeDir, layout("killed", "killed\n"), "killed:v1", "layer staged");
        assertEquals(1, count(storeDir.resolve("tmp")), "a kill mid-load leaves its tmp/load-* directory");
        assertEquals(0, count(storeDir.resolve("layers")));

        store.tag(new ImageLoader(store, null).load(layout("other", "other\n"), "other:v1").get(0),
                ImageReference.parse("again:v1"));
        assertEquals(0, count(storeDir.resolve("tmp")));
        assertEquals(2, count(storeDir.resolve("layers")), "only the other image's layers");
        assertFalse(store.find("killed:v1").isPresent());
    }

    @Test
    void anOrphanLayerFromAnOlderStoreIsRemovedAndReloadingRecordsItsSizeAndMediaType() throws Exception {
        Privileged.requireRoot();
        Path storeDir = tmp.resolve("store");
        ImageStore store = ImageStore.open(storeDir);
        Path source = layout("img", "content\n");
        Image image = new ImageLoader(store, null).load(source, "img:v1").get(0);
        // what older commits left when killed between the layers and the image record
        Files.delete(storeDir.resolve("images").resolve(Digest.parse(image.id()).hex() + ".json"));
        Files.writeString(storeDir.resolve("repositories.json"), "{}");
        assertEquals(2, count(storeDir.resolve("layers")));

        Image again = new ImageLoader(store, null).load(source, "img:v1").get(0);
        assertEquals(8 + 16, again.sizeBytes());
        StoredImage stored = store.readImage(again.id()).orElseThrow();
        for (StoredImage.Layer l : stored.layers()) {
            assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", l.mediaType());
        }
    }

    @Test
    void unpackingStopsWithAClearErrorBeforeTheDiskIsFull() throws Exception {
        Privileged.requireRoot();
        Path mnt = Files.createDirectories(tmp.resolve("small"));
        Fixture.run(tmp, "mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mnt.toString());
        try {
            ImageStore store = ImageStore.open(mnt.resolve("store"));
            // 40 MB of zeros: a 40 KB gzip layer that would leave under the 16 MB floor
            Path zeros = TestImages.layout(tmp.resolve("zeros"), "v1", List.of(
                    TestImages.layer(TestImages.files("zeros", "\0".repeat(40 << 20)))));
            ImageLoader loader = new ImageLoader(store, null, new UnpackLimits(1000, 1L << 30, 16L << 20));
            ImageException e = assertThrows(ImageException.class, () -> loader.load(zeros, "zeros:v1"));
            assertTrue(e.getMessage().contains("stopped unpacking after") && e.getMessage().contains("and mini keeps 16.0 MB free"),
                    e.getMessage());
            assertEquals(0, count(mnt.resolve("store/tmp")));
            assertEquals(0, count(mnt.resolve("store/layers")));
            // and before: a floor above what is free refuses at once
            ImageLoader strict = new ImageLoader(store, null, new UnpackLimits(1000, 1L << 30, 64L << 20));
            ImageException before = assertThrows(ImageException.class, () -> strict.load(zeros, "zeros:v1"));
            assertTrue(before.getMessage().contains("not enough space to unpack"), before.getMessage());
        } finally {
            Fixture.run(tmp, "umount", mnt.toString());
        }
    }
}
