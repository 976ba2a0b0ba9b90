package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class ToolsTest {

    @Test
    void aMissingProgramNamesThePackageToInstall() {
        LabException e = assertThrows(LabException.class,
                () -> Tools.require("qemu-system-nonexistent-arch", "qemu-system-x86"));
        assertEquals("qemu-system-nonexistent-arch not found; install it with: apt-get install qemu-system-x86",
                e.getMessage());
    }

    @Test
    void aFailingProgramReportsItsStatusAndLastErrorLine() {
        LabException e = assertThrows(LabException.class,
                () -> Tools.output(List.of("sh", "-c", "echo W: noise >&2; echo E: the real reason >&2; exit 3"), "dash"));
        assertTrue(e.getMessage().endsWith("failed (exit 3): E: the real reason"), e.getMessage());
    }

    @Test
    void filterFeedsStandardInputAndReturnsStandardOutput() {
        byte[] out = Tools.filter(List.of("tr", "a-z", "A-Z"), "coreutils", "lab".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("LAB".getBytes(StandardCharsets.UTF_8), out);
    }
}
