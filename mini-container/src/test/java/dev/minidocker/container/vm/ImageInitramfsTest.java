package dev.minidocker.container.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageLoader;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.TestImages;
import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.boot.Cpio;
import dev.minidocker.vmm.boot.InitramfsWriter;

/** The initramfs a VM-isolated container boots: the image's tree as the kernel will unpack it. */
class ImageInitramfsTest {
    @TempDir
    Path tmp;

    private static Map<String, Cpio.Entry> archiveOf(Path root) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            ImageInitramfs.write(root, w);
        }
        return Cpio.tree(out.toByteArray());
    }

    @Test
    void everyNodeKeepsItsTypeModeAndOwnerAsLstatShowsIt() throws Exception {
        Privileged.requireRoot();   // chown and mknod
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path tmpDir = Files.createDirectories(root.resolve("tmp"));
        Files.setAttribute(tmpDir, "unix:mode", 01777);
        Path su = Files.writeString(Files.createDirectories(root.resolve("bin")).resolve("su"), "setuid program");
        Files.setAttribute(su, "unix:mode", 04755);
        Path home = Files.createDirectories(root.resolve("home/app"));
        Path data = Files.writeString(home.resolve("data"), "owned by 1000:1001");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-r-----"));
        Files.setAttribute(data, "unix:uid", 1000);
        Files.setAttribute(data, "unix:gid", 1001);
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.createSymbolicLink(root.resolve("etc-link"), Path.of("/etc"));   // absolute: must not be followed
        Process mknod = new ProcessBuilder("mknod", "-m", "0660", root.resolve("dev-sda").toString(), "b", "8", "1").start();
        assertEquals(0, mknod.waitFor());

        Map<String, Cpio.Entry> tree = archiveOf(root);

        assertEquals(041777, tree.get("tmp").mode(), "sticky, world-writable /tmp");
        assertEquals(0104755, tree.get("bin/su").mode(), "setuid kept");
        assertArrayEquals("setuid program".getBytes(StandardCharsets.UTF_8), tree.get("bin/su").data());
        Cpio.Entry owned = tree.get("home/app/data");
        assertEquals(0100640, owned.mode());
        assertEquals(1000, owned.uid());
        assertEquals(1001, owned.gid());
        assertEquals(0120777, tree.get("bin/sh").mode() & 0170777);
        assertEquals("busybox", new String(tree.get("bin/sh").data(), StandardCharsets.UTF_8));
        assertEquals("/etc", new String(tree.get("etc-link").data(), StandardCharsets.UTF_8), "a link, not the host's /etc");
        assertFalse(tree.keySet().stream().anyMatch(n -> n.startsWith("etc-link/")), tree.keySet().toString());
        Cpio.Entry disk = tree.get("dev-sda");
        assertEquals(0060660, disk.mode(), "block device");
        assertEquals(8, disk.deviceMajor());
        assertEquals(1, disk.deviceMinor());
        assertFalse(tree.containsKey(""), "the root itself is rootfs, not an entry");
    }

    @Test
    void parentsComeBeforeChildrenInNameOrder() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(Files.createDirectories(root.resolve("b/y")).resolve("f"), "1");
        Files.writeString(Files.createDirectories(root.resolve("a")).resolve("z"), "2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            ImageInitramfs.write(root, w);
        }
        List<String> names = Cpio.entries(out.toByteArray()).stream().map(Cpio.Entry::name).toList();
        assertEquals(List.of("a", "a/z", "b", "b/y", "b/y/f"), names);
    }

    @Test
    void devNumbersAreDecodedAsGlibcEncodesThem() {
        long dev = (259L << 8 & 0xfff00) | ((259L & ~0xfffL) << 32) | (70000L & 0xff) | ((70000L & ~0xffL) << 12);
        assertEquals(259, ImageInitramfs.major(dev));
        assertEquals(70000, ImageInitramfs.minor(dev));
        assertEquals(8, ImageInitramfs.major(0x801));
        assertEquals(1, ImageInitramfs.minor(0x801));
    }

    private Image layeredImage(ImageStore store) throws Exception {
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.busyboxLayer(),
                TestImages.layer(TestImages.files("etc/gone", "deleted above\n", "etc/kept", "kept\n")),
                TestImages.layer(TestImages.files("etc/.wh.gone", "", "data/upper", "from the upper layer\n"))));
        return new ImageLoader(store, null).load(layout, "vmtest/layers:v1").get(0);
    }

    @Test
    void theImagesLayersAreAppliedWhiteoutsIncludedAndInitIsAdded() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.exists(TestImages.BUSYBOX), "needs busybox-static (apt-get install busybox-static)");
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = layeredImage(store);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path archive = ImageInitramfs.ensure(store, image, new PrintStream(progress, true, StandardCharsets.UTF_8));

        Map<String, Cpio.Entry> tree = Cpio.tree(Files.readAllBytes(archive));
        assertEquals("from the upper layer\n", new String(tree.get("data/upper").data(), StandardCharsets.UTF_8));
        assertEquals("kept\n", new String(tree.get("etc/kept").data(), StandardCharsets.UTF_8));
        assertFalse(tree.containsKey("etc/gone"), "whited out by the upper layer");
        assertFalse(tree.keySet().stream().anyMatch(n -> n.contains(".wh.")), tree.keySet().toString());
        assertEquals(0100755, tree.get(".mini/init").mode());
        assertEquals(GuestInit.script(), new String(tree.get(".mini/init").data(), StandardCharsets.UTF_8));
        assertEquals(Files.size(TestImages.BUSYBOX), tree.get(".mini/busybox").data().length);
        assertEquals(5, tree.get("dev/console").deviceMajor(), "the console the kernel opens for init");
        assertTrue(archive.startsWith(store.root().resolve("vm/initramfs")), archive.toString());
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("making the VM's initramfs"), progress.toString());
        try (var left = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), left.toList(), "no work directory left behind");
        }

        // made once: a second run finds it by the layers' digests
        FileTime made = Files.getLastModifiedTime(archive);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(archive, ImageInitramfs.ensure(store, image, new PrintStream(again, true, StandardCharsets.UTF_8)));
        assertEquals(made, Files.getLastModifiedTime(archive));
        assertEquals("", again.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCacheKeyChangesWithTheLayersAndTheInit() throws Exception {
        Path busybox = Files.writeString(tmp.resolve("busybox"), "elf");
        var a = List.of(dev.minidocker.container.image.Digest.of("layer a"));
        var b = List.of(dev.minidocker.container.image.Digest.of("layer b"));
        String key = ImageInitramfs.key(a, "init 1", busybox);
        assertEquals(key, ImageInitramfs.key(a, "init 1", busybox));
        assertFalse(key.equals(ImageInitramfs.key(b, "init 1", busybox)));
        assertFalse(key.equals(ImageInitramfs.key(a, "init 2", busybox)));
    }
}
