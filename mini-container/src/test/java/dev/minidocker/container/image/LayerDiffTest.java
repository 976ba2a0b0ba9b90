package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;
import dev.minidocker.sys.Syscalls;

/**
 * An overlay upper directory as overlayfs writes it (a 0/0 character device for a deletion, the
 * trusted.overlay.opaque attribute for a replaced directory) becomes a layer with OCI whiteouts,
 * and that layer unpacked by mini load's rules gives the same upper directory back.
 */
class LayerDiffTest {
    @TempDir
    Path tmp;

    private Path upper() throws Exception {
        Privileged.requireRoot(); // mknod of a device and trusted.* attributes need CAP_MKNOD and CAP_SYS_ADMIN
        Path u = tmp.resolve("upper");
        Files.createDirectories(u.resolve("etc"));
        Files.createDirectories(u.resolve("var/cache"));
        Files.writeString(u.resolve("etc/new"), "new\n");
        Files.setLastModifiedTime(u.resolve("etc/new"), FileTime.fromMillis(1_600_000_000_000L));
        Syscalls.mknodChar(u.resolve("etc/gone").toString(), 0, 0, 0);
        Syscalls.lsetxattr(u.resolve("var/cache").toString(), "trusted.overlay.opaque", new byte[] {'y'});
        Files.writeString(u.resolve("var/cache/fresh"), "f");
        Files.createSymbolicLink(u.resolve("link"), Path.of("etc/new"));
        Files.createDirectories(u.resolve("proc"));
        return u;
    }

    private static List<String> entries(byte[] tar) throws Exception {
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = t.getNextTarEntry()) != null; ) {
                out.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : "") + " " + Integer.toOctalString(e.getMode())
                        + " " + e.getLastModifiedDate().getTime() / 1000);
            }
        }
        return out;
    }

    @Test
    void deletionsAndOpaqueDirectoriesBecomeWhiteoutsInSortedOrder() throws Exception {
        Path u = upper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.write(u, out, Set.of("proc"));
        List<String> e = entries(out.toByteArray());
        assertEquals(List.of("etc/", "etc/.wh.gone", "etc/new", "link -> etc/new", "var/", "var/cache/",
                "var/cache/.wh..wh..opq", "var/cache/fresh"), e.stream().map(s -> s.substring(0, s.indexOf(' ', s.indexOf("->") + 3))).toList());
        assertEquals("etc/new 644 1600000000", e.get(2)); // mode and time as the file has them
        // the same bytes again: a layer is reproducible
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        LayerDiff.write(u, again, Set.of("proc"));
        assertEquals(Digest.of(out.toByteArray()), Digest.of(again.toByteArray()));
    }

    @Test
    void theLayerUnpacksBackToTheSameUpperDirectory() throws Exception {
        Path u = upper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.write(u, out, Set.of("proc"));
        Path back = Files.createDirectory(tmp.resolve("back"));
        LayerUnpacker.unpack(new ByteArrayInputStream(out.toByteArray()), back, LayerUnpacker.Whiteouts.OVERLAY,
                UnpackLimits.DEFAULT, w -> { });
        assertEquals(true, LayerTree.isWhiteout(back.resolve("etc/gone")));
        assertEquals(true, LayerDiff.isOpaque(back.resolve("var/cache")));
        assertEquals("new\n", Files.readString(back.resolve("etc/new")));
        assertEquals(false, Files.exists(back.resolve("proc")));
    }
}
