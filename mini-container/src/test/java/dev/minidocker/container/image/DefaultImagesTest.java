package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;

class DefaultImagesTest {
    @TempDir
    Path tmp;

    @Test
    void busyboxImageIsMadeFromTheStaticBusyboxWithAnAppletLinkEach() throws IOException {
        Path busybox = Path.of("/bin/busybox");
        Privileged.require(Files.exists(busybox) && Elf.isStatic(busybox), "needs busybox-static (apt-get install busybox-static)");
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Image image = DefaultImages.ensureBusybox(store, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertEquals("busybox:latest", image.reference());
        assertEquals(DefaultImages.PATH, image.config().env());
        assertEquals(List.of("sh"), image.config().cmd());
        assertEquals(1, image.layerDirs().size());
        Path layer = image.layerDirs().get(0);
        assertTrue(Files.isRegularFile(layer.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(layer.resolve("bin/sh")));
        assertTrue(Files.readString(layer.resolve("etc/passwd")).startsWith("root:x:0:0:"));
        assertFalse(Files.exists(layer.resolve("etc/hostname")));
        for (String d : List.of("proc", "sys", "dev", "tmp", "root")) {
            assertTrue(Files.isDirectory(layer.resolve(d)), d);
        }
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("making the default image busybox:latest"));
        assertTrue(image.sizeBytes() >= Files.size(busybox));
    }

    @Test
    void busyboxImageIsStoredLikeAnyImageWithVerifiableBlobs() throws IOException {
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = DefaultImages.ensureBusybox(store, null);
        StoredImage stored = store.readImage(image.id()).orElseThrow();
        // the config blob's name is its digest, and the image id is that digest
        assertEquals(Digest.parse(image.id()), Digest.ofFile(store.blobPath(Digest.parse(image.id()))));
        assertEquals(Digest.parse(stored.manifest()), Digest.ofFile(store.blobPath(Digest.parse(stored.manifest()))));
        StoredImage.Layer layer = stored.layers().get(0);
        assertEquals(Digest.parse(layer.digest()), Digest.ofFile(store.blobPath(Digest.parse(layer.digest()))));
        assertEquals(store.layerDir(Digest.parse(layer.diffId())), image.layerDirs().get(0));
    }

    @Test
    void secondUseFindsTheStoredImageInsteadOfMakingItAgain() {
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image first = DefaultImages.ensureBusybox(store, null);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Image second = DefaultImages.ensureBusybox(store, new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertEquals(first, second);
        assertEquals("", progress.toString(StandardCharsets.UTF_8));
        assertEquals(first, store.find("busybox").orElseThrow());
        assertEquals(first.id(), store.find(first.id().substring(7, 19)).orElseThrow().id());
        assertEquals(List.of(first), store.list());
    }

    @Test
    void aShellRunsInsideTheBusyboxRoot() throws Exception {
        Privileged.requireRoot();
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = DefaultImages.ensureBusybox(store, null);
        assertEquals("hello from busybox", chroot(image.layerDirs().get(0), "echo hello from busybox"));
    }

    @Test
    void withoutStaticBusyboxTheImageIsMadeFromHostToolsAndTheirLibraries() throws Exception {
        Privileged.requireRoot();
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Image image = DefaultImages.ensureBusybox(store, new PrintStream(progress, true, StandardCharsets.UTF_8),
                Path.of("/bin/ls")); // dynamic: not usable as the busybox
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("from host tools"));
        Path root = image.layerDirs().get(0);
        assertTrue(Files.exists(root.resolve("bin/sh")));
        // the tools run inside the root: their shared libraries came along
        assertTrue(chroot(root, "ls /").lines().anyMatch("bin"::equals));
        assertEquals("root:x:0:", chroot(root, "cat /etc/group | head -n 1"));
    }

    /** Runs a shell command with the given root as '/' (chroot(8), as root). */
    static String chroot(Path root, String command) throws Exception {
        Process p = new ProcessBuilder("chroot", root.toString(), "/bin/sh", "-c", command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
