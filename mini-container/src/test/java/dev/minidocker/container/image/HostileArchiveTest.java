package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Archives written to escape the layer directory. Each one must either land inside the root or
 * be refused with a clear error; the victim directory beside the root must be untouched.
 */
class HostileArchiveTest {
    @TempDir
    Path tmp;
    Path root;
    Path victim;
    Map<String, String> before;

    @BeforeEach
    void makeRootAndVictim() throws IOException {
        root = Files.createDirectory(tmp.resolve("root"));
        victim = Files.createDirectory(tmp.resolve("victim"));
        Files.writeString(victim.resolve("secret.txt"), "untouched");
        Files.createDirectory(victim.resolve("sub"));
        Files.writeString(victim.resolve("sub/keep"), "keep me");
        before = snapshot(tmp, "root");
    }

    @AfterEach
    void victimIsUntouched() throws IOException {
        assertEquals(before, snapshot(tmp, "root"), "something outside the root changed");
    }

    private LayerUnpacker.Result unpack(TarFixture t, LayerUnpacker.Whiteouts mode) {
        return LayerUnpacker.unpack(new ByteArrayInputStream(t.bytes()), root, mode, UnpackLimits.DEFAULT, null);
    }

    private LayerUnpacker.Result unpack(TarFixture t) {
        return unpack(t, LayerUnpacker.Whiteouts.APPLY);
    }

    @Test
    void dotDotNamesAreRefused() {
        ImageException e = assertThrows(ImageException.class, () -> unpack(new TarFixture().file("../victim/secret.txt", "pwned")));
        assertTrue(e.getMessage().contains("climbs out of the layer"), e.getMessage());
    }

    @Test
    void dotDotInsideTheNameThatClimbsOutIsRefused() {
        assertThrows(ImageException.class, () -> unpack(new TarFixture().dir("a").file("a/../../victim/new", "pwned")));
    }

    @Test
    void absoluteNamesLandInsideTheRoot() throws IOException {
        unpack(new TarFixture().file(victim + "/secret.txt", "inside"));
        assertEquals("inside", Files.readString(root.resolve(victim.toString().substring(1)).resolve("secret.txt")));
    }

    @Test
    void relativeSymlinkThenWriteThroughItStaysInside() throws IOException {
        unpack(new TarFixture().symlink("link", "../victim").file("link/secret.txt", "inside"));
        assertEquals("inside", Files.readString(root.resolve("victim/secret.txt")));
        assertEquals(Path.of("../victim"), Files.readSymbolicLink(root.resolve("link")));
    }

    @Test
    void absoluteSymlinkThenWriteThroughItStaysInside() throws IOException {
        unpack(new TarFixture().symlink("link", victim.toString()).file("link/sub/keep", "inside"));
        assertEquals("inside", Files.readString(root.resolve(victim.toString().substring(1)).resolve("sub/keep")));
    }

    @Test
    void chainOfSymlinksClimbingOutStaysInside() throws IOException {
        unpack(new TarFixture().dir("d").symlink("d/up", "../../../../../..").symlink("a", "d/up/victim")
                .file("a/secret.txt", "inside"));
        assertEquals("inside", Files.readString(root.resolve("victim/secret.txt")));
    }

    @Test
    void directoryEntryThroughSymlinkStaysInside() {
        unpack(new TarFixture().symlink("link", victim.toString()).dir("link/newdir"));
        assertTrue(Files.isDirectory(root.resolve(victim.toString().substring(1)).resolve("newdir")));
    }

    @Test
    void fileReplacesASymlinkInsteadOfWritingThroughIt() throws IOException {
        unpack(new TarFixture().symlink("f", victim + "/secret.txt").file("f", "replaced"));
        assertFalse(Files.isSymbolicLink(root.resolve("f")));
        assertEquals("replaced", Files.readString(root.resolve("f")));
    }

    @Test
    void symlinkLoopIsRefused() {
        ImageException e = assertThrows(ImageException.class,
                () -> unpack(new TarFixture().symlink("a", "b").symlink("b", "a").file("a/x", "loop")));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    }

    @Test
    void hardLinkToOutsideIsRefused() {
        ImageException e = assertThrows(ImageException.class,
                () -> unpack(new TarFixture().hardlink("h", "../victim/secret.txt")));
        assertTrue(e.getMessage().contains("climbs out"), e.getMessage());
    }

    @Test
    void hardLinkToAnAbsoluteHostPathIsRefused() {
        ImageException e = assertThrows(ImageException.class,
                () -> unpack(new TarFixture().hardlink("h", victim + "/secret.txt")));
        assertTrue(e.getMessage().contains("not a file in the layer"), e.getMessage());
    }

    @Test
    void hardLinkThroughASymlinkToOutsideIsRefused() {
        ImageException e = assertThrows(ImageException.class,
                () -> unpack(new TarFixture().symlink("link", victim.toString()).hardlink("h", "link/secret.txt")));
        assertTrue(e.getMessage().contains("not a file in the layer"), e.getMessage());
    }

    @Test
    void hardLinkToASymlinkLinksTheSymlinkNotItsTarget() throws IOException {
        unpack(new TarFixture().symlink("s", victim + "/secret.txt").hardlink("h", "s").file("s", "replaced"));
        assertTrue(Files.isSymbolicLink(root.resolve("h")));
        assertEquals("replaced", Files.readString(root.resolve("s")));
    }

    @ParameterizedTest
    @EnumSource(LayerUnpacker.Whiteouts.class)
    void whiteoutAimedOutsideIsRefused(LayerUnpacker.Whiteouts mode) {
        assertThrows(ImageException.class, () -> unpack(new TarFixture().file("../victim/.wh.secret.txt", ""), mode));
    }

    @ParameterizedTest
    @EnumSource(LayerUnpacker.Whiteouts.class)
    void whiteoutThroughASymlinkStaysInside(LayerUnpacker.Whiteouts mode) throws IOException {
        unpack(new TarFixture().symlink("link", victim.toString()).file("link/.wh.secret.txt", "")
                .symlink("rel", "../victim").file("rel/.wh.sub", ""), mode);
        assertTrue(Files.isSymbolicLink(root.resolve("link")));
    }

    @ParameterizedTest
    @EnumSource(LayerUnpacker.Whiteouts.class)
    void opaqueMarkerThroughASymlinkStaysInside(LayerUnpacker.Whiteouts mode) {
        Privileged.requireRootFor(mode);
        unpack(new TarFixture().symlink("link", "../victim").file("link/.wh..wh..opq", ""), mode);
        assertTrue(Files.isDirectory(root.resolve("victim"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void whiteoutOfDotOrDotDotIsRefused() {
        ImageException dot = assertThrows(ImageException.class, () -> unpack(new TarFixture().file("sub/.wh..", "")));
        assertTrue(dot.getMessage().contains("not a file name"), dot.getMessage());
        ImageException dotdot = assertThrows(ImageException.class, () -> unpack(new TarFixture().file(".wh...", "")));
        assertTrue(dotdot.getMessage().contains("not a file name"), dotdot.getMessage());
    }

    @Test
    void tooManyEntriesIsATarBomb() {
        TarFixture t = new TarFixture();
        for (int i = 0; i < 20; i++) {
            t.file("f" + i, "x");
        }
        ImageException e = assertThrows(ImageException.class, () -> LayerUnpacker.unpack(new ByteArrayInputStream(t.bytes()),
                root, LayerUnpacker.Whiteouts.APPLY, new UnpackLimits(10, 1 << 20), null));
        assertTrue(e.getMessage().contains("more than 10 entries"), e.getMessage());
    }

    @Test
    void tooManyBytesIsATarBomb() {
        TarFixture t = new TarFixture().bigFile("a", 600).bigFile("b", 600);
        ImageException e = assertThrows(ImageException.class, () -> LayerUnpacker.unpack(new ByteArrayInputStream(t.bytes()),
                root, LayerUnpacker.Whiteouts.APPLY, new UnpackLimits(100, 1000), null));
        assertTrue(e.getMessage().contains("more than 1000 bytes"), e.getMessage());
    }

    /** Every path under {@code dir} (except {@code skip}) with its type and content. */
    static Map<String, String> snapshot(Path dir, String skip) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                Path rel = dir.relativize(p);
                if (rel.toString().equals(skip) || rel.startsWith(skip)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    out.put(rel.toString(), "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel.toString(), "dir " + Files.getLastModifiedTime(p));
                } else {
                    out.put(rel.toString(), "file " + new String(Files.readAllBytes(p), StandardCharsets.UTF_8)
                            + " " + Files.getLastModifiedTime(p));
                }
            }
        }
        return out;
    }

    /** The OVERLAY form of an opaque directory is an extended attribute only root may set. */
    static final class Privileged {
        static void requireRootFor(LayerUnpacker.Whiteouts mode) {
            if (mode == LayerUnpacker.Whiteouts.OVERLAY) {
                dev.minidocker.sys.Privileged.requireRoot();
            }
        }
    }
}
