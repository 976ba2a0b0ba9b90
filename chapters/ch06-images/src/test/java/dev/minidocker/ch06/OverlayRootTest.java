package dev.minidocker.ch06;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.image.LayerUnpacker;
import dev.minidocker.sys.Privileged;

/** Layers unpacked once each and stacked by overlayfs: what the container's root shows, and where its writes go. */
class OverlayRootTest {
    @TempDir
    Path tmp;

    private Overlay mountBoth() throws IOException {
        Path base = Main.unpack(Layers.base(), tmp.resolve("layers/base"), LayerUnpacker.Whiteouts.OVERLAY);
        Path top = Main.unpack(Layers.top(), tmp.resolve("layers/top"), LayerUnpacker.Whiteouts.OVERLAY);
        return Overlay.mount(List.of(base, top), tmp.resolve("container"));
    }

    @Test
    void theMergedRootHidesWhatTheTopLayerDeleted() throws IOException {
        Privileged.requireRoot();
        try (Overlay root = mountBoth()) {
            assertEquals(List.of("a", "c"), Main.names(root.merged.resolve("data")));
            assertEquals(List.of("z"), Main.names(root.merged.resolve("cache")));
        }
    }

    @Test
    void theMergedRootIsWhatApplyingTheLayersGives() throws IOException {
        Privileged.requireRoot();
        Path flat = Main.unpack(Layers.base(), tmp.resolve("flat"), LayerUnpacker.Whiteouts.APPLY);
        Main.unpack(Layers.top(), flat, LayerUnpacker.Whiteouts.APPLY);
        try (Overlay root = mountBoth()) {
            assertEquals(Main.tree(flat), Main.tree(root.merged));
        }
    }

    @Test
    void writesInTheContainerGoToItsUpperDirectoryAndNeverIntoALayer() throws IOException {
        Privileged.requireRoot();
        try (Overlay root = mountBoth()) {
            Files.writeString(root.merged.resolve("data/a"), "changed\n");
            Files.delete(root.merged.resolve("data/c"));
            assertEquals("changed\n", Files.readString(root.upper.resolve("data/a")));
            assertTrue(Main.describe(root.upper.resolve("data/c")).contains("whiteout"));
        }
        assertEquals("a from the base layer\n", Files.readString(tmp.resolve("layers/base/data/a")));
        assertEquals("c from the top layer\n", Files.readString(tmp.resolve("layers/top/data/c")));
    }

    @Test
    void theDemoRunsToItsEnd() throws IOException {
        Privileged.requireRoot();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(new Narrator(new PrintStream(out, true, StandardCharsets.UTF_8), false), tmp.resolve("demo"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("data/b  (character device 0/0: a whiteout)"), text);
        assertTrue(text.contains("cache/  (trusted.overlay.opaque=y)"), text);
        assertTrue(text.contains("host-dir/: []"), text);
        assertTrue(text.contains("already present"), text);
    }
}
