package dev.minidocker.ch06;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.sys.Syscalls;

/**
 * An overlay mount of image layers, as a container's root: the layers are read-only lower
 * directories (the top layer first in the option string), and the container writes to its own
 * upper directory; the work directory is overlayfs's scratch space on the same file system.
 */
final class Overlay implements AutoCloseable {
    final Path merged;
    final Path upper;

    private Overlay(Path merged, Path upper) {
        this.merged = merged;
        this.upper = upper;
    }

    // tag::overlay[]
    /** Mounts {@code layers} (lowest first) with a fresh upper and work directory under {@code dir}. */
    static Overlay mount(List<Path> layers, Path dir) throws IOException {
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path merged = Files.createDirectories(dir.resolve("merged"));
        List<String> lower = new ArrayList<>();
        for (Path layer : layers) {
            lower.add(0, layer.toString()); // overlayfs wants the top layer first
        }
        String options = "lowerdir=" + String.join(":", lower) + ",upperdir=" + upper + ",workdir=" + work;
        Syscalls.mount("overlay", merged.toString(), "overlay", 0, options);
        return new Overlay(merged, upper);
    }
    // end::overlay[]

    @Override
    public void close() {
        Syscalls.umount2(merged.toString(), 0);
    }
}
