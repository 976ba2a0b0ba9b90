package dev.minidocker.ch04;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.image.Image;

/**
 * Builds the escape experiment: a root directory with busybox and a small static C program
 * that tries the classic chroot escape. Run it with chroot isolation and it reaches the
 * host; with pivot_root there is nothing left to reach.
 */
public final class EscapeDemo {
    private EscapeDemo() {
    }

    /** Compiles escape.c (shipped with this chapter) statically with gcc into dir/escape. */
    public static Path compileEscape(Path dir) {
        Path source = dir.resolve("escape.c");
        Path binary = dir.resolve("escape");
        try (InputStream in = EscapeDemo.class.getResourceAsStream("escape.c")) {
            Files.copy(in, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("gcc", "-static", "-O2", "-o", binary.toString(), source.toString()),
                "gcc could not build the escape program (install gcc and libc6-dev)");
        return binary;
    }

    /** A root directory: a copy of the image's layer plus /escape. */
    public static Path rootWithEscape(Image image, Path dir) {
        Path root = dir.resolve("rootfs");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path layer : image.layerDirs()) {
            run(List.of("cp", "-a", layer + "/.", root.toString()), "cannot copy the image layer " + layer);
        }
        Path binary = compileEscape(dir);
        run(List.of("cp", binary.toString(), root.resolve("escape").toString()), "cannot copy the escape program");
        return root;
    }

    /** A file only the host has, holding a line the escape program prints if it gets out. */
    public static Path hostSecret(Path dir) {
        try {
            Path secret = Files.createTempFile(Path.of("/tmp"), "ch04-host-secret-", ".txt");
            Files.writeString(secret, "the host's secret\n");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(what + ": " + out.trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
