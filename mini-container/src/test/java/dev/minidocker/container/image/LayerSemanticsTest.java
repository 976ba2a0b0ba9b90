package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.MountFlags;
import dev.minidocker.sys.Privileged;
import dev.minidocker.sys.Syscalls;

/** The OCI layer rules, checked on the unpacked tree. */
class LayerSemanticsTest {
    @TempDir
    Path tmp;

    static TarFixture lower() {
        return new TarFixture().dir("etc").file("etc/passwd", "root")
                .dir("data").file("data/gone", "old").file("data/kept", "old")
                .dir("opq").file("opq/lower-a", "a").dir("opq/lowerdir").file("opq/lowerdir/x", "x")
                .dir("opq2").file("opq2/lower", "l")
                .dir("becomes-file").file("becomes-file/inner", "i")
                .file("becomes-dir", "f");
    }

    static TarFixture upper() {
        return new TarFixture()
                .file("data/.wh.gone", "")                         // delete a lower file
                .file("opq/.wh..wh..opq", "")                     // opaque marker before the layer's own child
                .file("opq/mine", "upper")
                .file("opq2/mine", "upper")
                .file("opq2/.wh..wh..opq", "")                    // opaque marker after the layer's own child
                .file("becomes-file", "now a file")               // a file replaces a directory
                .dir("becomes-dir").file("becomes-dir/inside", "now a dir"); // a directory replaces a file
    }

    private void apply(Path dir, TarFixture t, LayerUnpacker.Whiteouts mode) {
        LayerUnpacker.unpack(new ByteArrayInputStream(t.bytes()), dir, mode, UnpackLimits.DEFAULT, null);
    }

    @Test
    void whiteoutDeletesALowerFileAndLeavesNoMarker() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        apply(root, lower(), LayerUnpacker.Whiteouts.APPLY);
        apply(root, upper(), LayerUnpacker.Whiteouts.APPLY);
        assertFalse(Files.exists(root.resolve("data/gone")));
        assertEquals("old", Files.readString(root.resolve("data/kept")));
        assertEquals(Set.of(), markers(root));
    }

    @Test
    void opaqueDirectoryHidesLowerChildrenWhereverTheMarkerSits() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        apply(root, lower(), LayerUnpacker.Whiteouts.APPLY);
        apply(root, upper(), LayerUnpacker.Whiteouts.APPLY);
        assertEquals(Set.of("mine"), names(root.resolve("opq")));
        assertEquals(Set.of("mine"), names(root.resolve("opq2")));
        assertEquals("upper", Files.readString(root.resolve("opq2/mine")));
    }

    @Test
    void directoriesAndFilesReplaceEachOther() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        apply(root, lower(), LayerUnpacker.Whiteouts.APPLY);
        apply(root, upper(), LayerUnpacker.Whiteouts.APPLY);
        assertEquals("now a file", Files.readString(root.resolve("becomes-file")));
        assertEquals("now a dir", Files.readString(root.resolve("becomes-dir/inside")));
    }

    @Test
    void whiteoutNeverDeletesTheSameLayersOwnFile() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        apply(root, new TarFixture().file("a", "lower"), LayerUnpacker.Whiteouts.APPLY);
        apply(root, new TarFixture().file("a", "upper").file(".wh.a", ""), LayerUnpacker.Whiteouts.APPLY);
        assertEquals("upper", Files.readString(root.resolve("a")));
    }

    @Test
    void hardLinksShareTheirInodeAndSymlinksKeepTheirText() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        apply(root, new TarFixture().dir("bin").file("bin/tool", "#!", 0755, 0, 0).hardlink("bin/alias", "bin/tool")
                .symlink("bin/sh", "/bin/tool"), LayerUnpacker.Whiteouts.APPLY);
        assertEquals(Files.getAttribute(root.resolve("bin/tool"), "unix:ino"), Files.getAttribute(root.resolve("bin/alias"), "unix:ino"));
        assertEquals(2, Files.getAttribute(root.resolve("bin/tool"), "unix:nlink"));
        assertEquals(Path.of("/bin/tool"), Files.readSymbolicLink(root.resolve("bin/sh")));
    }

    @Test
    void permissionsSetuidAndModificationTimesAreKept() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        apply(root, new TarFixture().dir("locked", 0500).file("locked/suid", "x", 04755, 0, 0)
                .file("private", "p", 0600, 0, 0).symlink("link", "private"), LayerUnpacker.Whiteouts.APPLY);
        assertEquals(04755, mode(root.resolve("locked/suid")));
        assertEquals(0500, mode(root.resolve("locked")));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(root.resolve("private")));
        assertEquals(TarFixture.MTIME, Files.getLastModifiedTime(root.resolve("locked/suid")));
        assertEquals(TarFixture.MTIME, Files.getLastModifiedTime(root.resolve("locked")));
        assertEquals(TarFixture.MTIME, Files.getLastModifiedTime(root.resolve("link"), LinkOption.NOFOLLOW_LINKS));
        Files.setPosixFilePermissions(root.resolve("locked"), PosixFilePermissions.fromString("rwx------")); // for cleanup
    }

    @Test
    void ownersAndDeviceNodesAreKeptWhenRunningAsRoot() throws IOException {
        Privileged.requireRoot();
        Path root = Files.createDirectory(tmp.resolve("root"));
        apply(root, new TarFixture().file("owned", "x", 04750, 1234, 5678).charDevice("null", 1, 3).fifo("pipe"),
                LayerUnpacker.Whiteouts.APPLY);
        assertEquals(1234, Files.getAttribute(root.resolve("owned"), "unix:uid"));
        assertEquals(5678, Files.getAttribute(root.resolve("owned"), "unix:gid"));
        assertEquals(04750, mode(root.resolve("owned")), "chown must come before chmod, or setuid is lost");
        assertEquals(Syscalls.makedev(1, 3), ((Number) Files.getAttribute(root.resolve("null"), "unix:rdev")).longValue());
        assertEquals(0010000, (Integer) Files.getAttribute(root.resolve("pipe"), "unix:mode") & 0170000, "a FIFO");
    }

    @Test
    void overlayLayersMountedTogetherShowWhatApplyingGives() throws IOException {
        Privileged.requireRoot();
        Path flat = Files.createDirectory(tmp.resolve("flat"));
        apply(flat, lower(), LayerUnpacker.Whiteouts.APPLY);
        apply(flat, upper(), LayerUnpacker.Whiteouts.APPLY);
        Path l1 = Files.createDirectory(tmp.resolve("l1"));
        Path l2 = Files.createDirectory(tmp.resolve("l2"));
        apply(l1, lower(), LayerUnpacker.Whiteouts.OVERLAY);
        apply(l2, upper(), LayerUnpacker.Whiteouts.OVERLAY);
        assertEquals(Syscalls.makedev(0, 0), ((Number) Files.getAttribute(l2.resolve("data/gone"), "unix:rdev")).longValue());
        Path merged = Files.createDirectory(tmp.resolve("merged"));
        Syscalls.mount("overlay", merged.toString(), "overlay", MountFlags.MS_RDONLY, "lowerdir=" + l2 + ":" + l1);
        try {
            assertEquals(tree(flat), tree(merged));
        } finally {
            Syscalls.umount2(merged.toString(), 0);
        }
    }

    static Set<String> markers(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".wh.")).collect(Collectors.toSet());
        }
    }

    static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    /** Each path with its type, mode and content: what a process in the container would see. */
    static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> {
                try {
                    String rel = root.relativize(p).toString();
                    if (Files.isSymbolicLink(p)) {
                        return rel + " -> " + Files.readSymbolicLink(p);
                    }
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        return rel + "/ " + Integer.toOctalString(mode(p));
                    }
                    return rel + " " + Integer.toOctalString(mode(p)) + " " + Files.getAttribute(p, "unix:uid") + ":"
                            + Files.getAttribute(p, "unix:gid") + " " + Digest.ofFile(p).shortHex();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }
}
