package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.sys.MountFlags;
import dev.minidocker.sys.Privileged;
import dev.minidocker.sys.Syscalls;

/** The two-layer image made by real tools (umoci, skopeo) once per test run, and helpers to look into it. */
final class Fixture {
    private static Path dir;

    private Fixture() {
    }

    /** Builds the fixture (once) or skips: needs root (umoci unpack), umoci, skopeo and a static busybox. */
    static synchronized Path get() throws Exception {
        Privileged.requireRoot();
        Privileged.require(onPath("umoci") && onPath("skopeo"), "needs umoci and skopeo (apt-get install umoci skopeo)");
        Privileged.require(Files.exists(Path.of("/bin/busybox")), "needs busybox-static (apt-get install busybox-static)");
        if (dir == null) {
            Path d = Files.createTempDirectory("mini-image-fixture");
            Path script = d.resolve("make-fixture.sh");
            try (var in = Fixture.class.getResourceAsStream("make-fixture.sh")) {
                Files.copy(in, script);
            }
            run(d, "sh", script.toString(), d.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Io.deleteTreeQuietly(d)));
            dir = d;
        }
        return dir;
    }

    static boolean onPath(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return false;
    }

    static String run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out.strip();
    }

    /** Mounts the image's layers as overlayfs does for a container, runs a shell command chroot'ed in it. */
    static String runInside(Image image, Path scratch, String command) throws Exception {
        Path merged = Files.createDirectories(scratch.resolve("merged"));
        List<String> lower = new ArrayList<>();
        for (Path l : image.layerDirs()) {
            lower.add(0, l.toString()); // overlayfs lists the top layer first
        }
        Syscalls.mount("overlay", merged.toString(), "overlay", MountFlags.MS_RDONLY, "lowerdir=" + String.join(":", lower));
        try {
            return DefaultImagesTest.chroot(merged, command);
        } finally {
            Syscalls.umount2(merged.toString(), 0);
        }
    }

    /** The image's layers mounted as overlayfs, listed with {@link LayerSemanticsTest#tree}. */
    static List<String> overlayTree(Image image, Path scratch) throws IOException {
        Path merged = Files.createDirectories(scratch.resolve("merged-tree"));
        List<String> lower = new ArrayList<>();
        for (Path l : image.layerDirs()) {
            lower.add(0, l.toString());
        }
        Syscalls.mount("overlay", merged.toString(), "overlay", MountFlags.MS_RDONLY, "lowerdir=" + String.join(":", lower));
        try {
            return LayerSemanticsTest.tree(merged);
        } finally {
            Syscalls.umount2(merged.toString(), 0);
        }
    }
}
