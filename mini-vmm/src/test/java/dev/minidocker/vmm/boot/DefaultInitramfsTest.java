package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

class DefaultInitramfsTest {
    @Test
    void holdsBusyboxInitAndTheCommand() throws Exception {
        Privileged.require(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/busybox")), "needs busybox-static");
        Map<String, byte[]> files = read(DefaultInitramfs.build("uname -r; exit 3"));
        assertTrue(files.get("bin/busybox").length > 100_000);
        String init = new String(files.get("init"), StandardCharsets.UTF_8);
        assertTrue(init.startsWith("#!/bin/busybox sh\n"));
        assertTrue(init.contains("echo \"" + DefaultInitramfs.INIT_BANNER));
        assertTrue(init.contains("echo \"" + DefaultInitramfs.EXIT_MARKER + "$status@@\""));
        assertTrue(init.contains("seek=244"), "status to the debug-exit port 0xf4");
        assertEquals("uname -r; exit 3\n", new String(files.get("exec"), StandardCharsets.UTF_8));
        assertTrue(files.containsKey("dev/console"));
        assertFalse(read(DefaultInitramfs.build(null)).containsKey("exec"), "no --exec: a shell");
    }

    private static Map<String, byte[]> read(byte[] archive) throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            CpioArchiveEntry e;
            while ((e = cpio.getNextCPIOEntry()) != null) {
                files.put(e.getName(), cpio.readAllBytes());
            }
        }
        return files;
    }
}
