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

    /** Every file of every archive in the initramfs, as the kernel unpacks them: one after the other. */
    private static Map<String, byte[]> read(byte[] initramfs) throws Exception {
        byte[] all;
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(initramfs))) {
            all = gz.readAllBytes();   // concatenated gzip members decompress as one stream
        }
        Map<String, byte[]> files = new HashMap<>();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        for (int at = text.indexOf("070701"); at >= 0; at = text.indexOf("070701", text.indexOf("TRAILER!!!", at))) {
            try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(new ByteArrayInputStream(all, at, all.length - at))) {
                CpioArchiveEntry e;
                while ((e = cpio.getNextCPIOEntry()) != null) {
                    files.put(e.getName(), cpio.readAllBytes());
                }
            }
        }
        return files;
    }
}
