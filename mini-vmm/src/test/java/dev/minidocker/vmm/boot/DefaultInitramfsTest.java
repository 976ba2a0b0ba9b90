package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

class DefaultInitramfsTest {
    @Test
    void holdsBusyboxInitAndTheCommand() throws Exception {
        Privileged.require(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static");
        Map<String, Cpio.Entry> files = Cpio.tree(DefaultInitramfs.build("uname -r; exit 3"));
        assertTrue(files.get("bin/busybox").data().length > 100_000);
        String init = text(files.get("init"));
        assertTrue(init.startsWith("#!/bin/busybox sh\n"));
        assertTrue(init.contains("echo \"" + DefaultInitramfs.INIT_BANNER));
        assertTrue(init.contains("echo \"" + DefaultInitramfs.EXIT_MARKER + "$status@@\""));
        assertTrue(init.contains("seek=244"), "status to the debug-exit port 0xf4");
        assertEquals("uname -r; exit 3\n", text(files.get("exec")));
        assertEquals(0020600, files.get("dev/console").mode());
        assertFalse(Cpio.tree(DefaultInitramfs.build(null)).containsKey("exec"), "no --exec: a shell");
    }

    @Test
    void theCacheLivesInTheCheckoutTheLauncherOrMavenNames() {
        assertEquals(Optional.of(Path.of("/work/mini/.mini/vm")),
                DefaultInitramfs.cacheDirectory(Map.of("MINI_HOME", "/work/mini", "MINI_PROJECT_ROOT", "/elsewhere")));
        assertEquals(Optional.of(Path.of("/src/mini-docker/.mini/vm")),
                DefaultInitramfs.cacheDirectory(Map.of("MINI_PROJECT_ROOT", "/src/mini-docker")));
        assertEquals(Optional.empty(), DefaultInitramfs.cacheDirectory(Map.of("HOME", "/root")), "no checkout: no cache");
    }

    private static String text(Cpio.Entry entry) {
        return new String(entry.data(), StandardCharsets.UTF_8);
    }
}
