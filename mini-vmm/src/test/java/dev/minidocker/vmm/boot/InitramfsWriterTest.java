package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InitramfsWriterTest {

    @Test
    void parentDirectoriesComeBeforeTheirFilesBecauseTheKernelDoesNotCreateThem() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            w.file("lib/modules/kvm.ko", 0644, "elf");
            w.file("/lib/modules/order", 0644, "kvm.ko\n");
        }
        List<String> names = Cpio.entries(out.toByteArray()).stream().map(Cpio.Entry::name).toList();
        assertEquals(List.of("lib", "lib/modules", "lib/modules/kvm.ko", "lib/modules/order"), names);
    }

    @Test
    void entriesKeepTheirTypePermissionsAndContents() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            w.directory("proc", 0555);
            w.file("init", 0755, "#!/bin/busybox sh\n");
            w.symlink("bin/sh", "busybox");
            w.characterDevice("dev/console", 0600, 5, 1);
        }
        Map<String, Cpio.Entry> tree = Cpio.tree(out.toByteArray());
        assertEquals(0040555, tree.get("proc").mode());
        assertEquals(0100755, tree.get("init").mode());
        assertEquals("#!/bin/busybox sh\n", new String(tree.get("init").data(), StandardCharsets.UTF_8));
        assertEquals(0120777, tree.get("bin/sh").mode());
        assertEquals("busybox", new String(tree.get("bin/sh").data(), StandardCharsets.UTF_8));
        Cpio.Entry console = tree.get("dev/console");
        assertEquals(0020600, console.mode());
        assertEquals(5, console.deviceMajor());
        assertEquals(1, console.deviceMinor());
    }

    @Test
    void aSecondArchiveAppendedToTheFirstAddsAndReplacesFiles() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            w.file("init", 0755, "cached");
            w.file("lab/run.conf", 0644, "old");
        }
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            w.file("lab/run.conf", 0644, "LAB_NONCE=00112233\n");
            w.file("lab/command", 0644, "exec true\n");
        }
        Map<String, Cpio.Entry> tree = Cpio.tree(out.toByteArray());
        assertArrayEquals("cached".getBytes(StandardCharsets.UTF_8), tree.get("init").data());
        assertEquals("LAB_NONCE=00112233\n", new String(tree.get("lab/run.conf").data(), StandardCharsets.UTF_8));
        assertTrue(tree.containsKey("lab/command"));
    }

    @Test
    void pathsThatClimbOutOfTheRootAreRefused() throws IOException {
        try (InitramfsWriter w = new InitramfsWriter(new ByteArrayOutputStream())) {
            assertThrows(IllegalArgumentException.class, () -> w.file("../etc/passwd", 0644, "x"));
            assertThrows(IllegalArgumentException.class, () -> w.file("lib/../../x", 0644, "x"));
        }
    }

    @Test
    void aNodeCopiedFromATreeKeepsItsWholeModeOwnerAndLinkTarget() throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("node", ".txt");
        try {
            java.nio.file.Files.writeString(file, "data");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InitramfsWriter w = new InitramfsWriter(out)) {
                w.node("home/app", 040750, 1000, 1000, null, null, 0, 0);
                w.node("home/app/f", 0104711, 1000, 50, file, null, 0, 0);
                w.node("home/app/l", 0120777, 1000, 1000, null, "../f", 0, 0);
                w.node("dev/sda", 060660, 0, 6, null, null, 8, 0);
                w.node("home/app", 040700, 0, 0, null, null, 0, 0);   // a directory written twice stays the first
            }
            List<Cpio.Entry> entries = Cpio.entries(out.toByteArray());
            assertEquals(List.of("home", "home/app", "home/app/f", "home/app/l", "dev", "dev/sda"),
                    entries.stream().map(Cpio.Entry::name).toList());
            Map<String, Cpio.Entry> tree = Cpio.tree(out.toByteArray());
            assertEquals(040750, tree.get("home/app").mode());
            assertEquals(1000, tree.get("home/app").uid());
            assertEquals(0104711, tree.get("home/app/f").mode());
            assertEquals(50, tree.get("home/app/f").gid());
            assertArrayEquals("data".getBytes(StandardCharsets.UTF_8), tree.get("home/app/f").data());
            assertEquals("../f", new String(tree.get("home/app/l").data(), StandardCharsets.UTF_8));
            assertEquals(8, tree.get("dev/sda").deviceMajor());
            assertEquals(0, tree.get("home").uid(), "a parent made on the way belongs to root");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
