package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;

/** Without the right to make devices, a layer's device nodes are skipped with a warning; the rest unpacks. */
class DeviceNodeWithoutPrivilegeTest {
    @TempDir
    Path tmp;

    @Test
    void deviceNodesAreSkippedWithAWarningWhenCapMknodIsMissing() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Fixture.onPath("setpriv"), "needs setpriv (util-linux)");
        Path layer = Files.write(tmp.resolve("layer.tar"),
                new TarFixture().charDevice("dev/null", 1, 3).file("etc/hostname", "box").bytes());
        Path out = tmp.resolve("out");
        // the same unpacker in a child process that runs as root but without CAP_MKNOD
        Process p = new ProcessBuilder("setpriv", "--inh-caps=-mknod", "--bounding-set=-mknod",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Unpack.class.getName(), layer.toString(), out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("warning: device node 'dev/null' skipped"), output);
        assertFalse(Files.exists(out.resolve("dev/null")));
        assertEquals("box", Files.readString(out.resolve("etc/hostname")));
    }
}
