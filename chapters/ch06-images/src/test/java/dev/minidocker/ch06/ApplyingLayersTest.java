package dev.minidocker.ch06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.image.LayerUnpacker;

/** Applying layers one after the other (no overlayfs, no root needed): what the flattened root contains. */
class ApplyingLayersTest {
    @TempDir
    Path tmp;

    private Path flat() throws IOException {
        Path flat = Main.unpack(Layers.base(), tmp.resolve("flat"), LayerUnpacker.Whiteouts.APPLY);
        return Main.unpack(Layers.top(), flat, LayerUnpacker.Whiteouts.APPLY);
    }

    @Test
    void aWhiteoutDeletesTheFileOfTheLowerLayer() throws IOException {
        Path root = flat();
        assertFalse(Files.exists(root.resolve("data/b")));
        assertEquals(List.of("a", "c"), Main.names(root.resolve("data")));
    }

    @Test
    void anOpaqueMarkerHidesEverythingTheLowerLayerHadInTheDirectory() throws IOException {
        assertEquals(List.of("z"), Main.names(flat().resolve("cache")));
    }

    @Test
    void noWhiteoutMarkerIsLeftInTheResult() throws IOException {
        Path root = flat();
        for (String d : List.of("data", "cache")) {
            assertTrue(Main.names(root.resolve(d)).stream().noneMatch(n -> n.startsWith(".wh.")), d);
        }
    }

    @Test
    void aFileWrittenThroughALinkToTheHostLandsInsideTheLayer() throws IOException {
        Path victim = Files.createDirectories(tmp.resolve("host-dir"));
        Path layer = Main.unpack(Layers.hostile(victim.toString()), tmp.resolve("layer"), LayerUnpacker.Whiteouts.APPLY);
        assertEquals(List.of(), Main.names(victim), "the host directory must stay empty");
        Path planted = layer.resolve(victim.toString().substring(1)).resolve("planted");
        assertEquals("written through a link", Files.readString(planted).strip());
    }

    @Test
    void dotDotInALinkStopsAtTheLayersRootAsItWouldAtTheRootOfAContainer() throws IOException {
        Path layer = Main.unpack(Layers.climbing(), tmp.resolve("layer"), LayerUnpacker.Whiteouts.APPLY);
        assertEquals("climbed", Files.readString(layer.resolve("tmp/planted")).strip());
        assertEquals(List.of("layer"), Main.names(tmp), "nothing may appear beside the layer");
    }
}
