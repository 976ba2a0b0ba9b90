package dev.minidocker.container.ns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.fs.IdmappedLayers;
import dev.minidocker.container.spec.ContainerSpec;

/** Which host range --userns=private maps a container's root to, and the layers the runtime idmaps. */
class SubordinateIdsTest {
    @Test
    void theMiniEntryComesFirstThenRoots() {
        String subuid = "alice:100000:65536\nroot:200000:65536\nmini:300000:65536\n";
        String subgid = "root:200000:65536\nmini:400000:10000\n";
        SubordinateIds.Mapping m = SubordinateIds.choose(subuid, subgid);
        assertEquals(new SubordinateIds.Range(300000, 65536), m.uids());
        assertEquals(new SubordinateIds.Range(400000, 10000), m.gids());
        assertEquals(10000, m.size(), "the container sees as many IDs as the smaller range has");
        assertEquals(List.of(new ContainerSpec.IdMapping(0, 300000, 10000)), m.uidMappings());
        assertEquals(List.of(new ContainerSpec.IdMapping(0, 400000, 10000)), m.gidMappings());
    }

    @Test
    void rootsEntryWithoutAMiniOne() {
        SubordinateIds.Mapping m = SubordinateIds.choose("root:200000:65536\n", "root:210000:65536\n");
        assertEquals(200000, m.uids().first());
        assertEquals(210000, m.gids().first());
    }

    @Test
    void withoutEntriesTheDocumentedDefault() {
        SubordinateIds.Mapping m = SubordinateIds.choose("alice:100000:65536\n", "");
        assertEquals(SubordinateIds.DEFAULT, m.uids());
        assertEquals("100000-165535", m.uids().toString());
    }

    @Test
    void malformedLinesAreSkipped() {
        assertNull(SubordinateIds.rangeOf("root:x:65536\nroot:0:0\n# root:1:2\n", "root"));
    }

    @Test
    void theLowerDirsOfOverlayOptionsUnescaped() {
        String options = "lowerdir=/s/layers/b:/s/layers/a\\:colon\\,comma,upperdir=/c/upper,workdir=/c/work,userxattr";
        assertEquals(List.of("/s/layers/b", "/s/layers/a:colon,comma"), IdmappedLayers.lowerDirs(options));
    }
}
