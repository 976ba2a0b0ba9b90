package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.vmm.boot.Cpio;

class LabInitramfsTest {
    @TempDir
    Path dir;

    @Test
    void holdsBusyboxInitAndTheModulesInLoadOrder() throws IOException {
        Path busybox = Files.write(dir.resolve("busybox"), new byte[] {1, 2, 3});
        KernelModules.Module irqbypass = module("irqbypass");
        KernelModules.Module kvm = module("kvm");
        KernelModules.Module virtio = module("virtio");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LabInitramfs.write(out, busybox, List.of(virtio), List.of(irqbypass, kvm));

        Map<String, Cpio.Entry> tree = Cpio.tree(out.toByteArray());
        assertEquals(0100755, tree.get("bin/busybox").mode());
        assertEquals(0100755, tree.get("init").mode());
        assertEquals(LabInitramfs.initScript(), text(tree.get("init")));
        assertEquals(LabInitramfs.stage2Script(), text(tree.get("lab/stage2")));
        assertEquals("virtio.ko\n", text(tree.get("lib/modules/required")));
        assertEquals("irqbypass.ko\nkvm.ko\n", text(tree.get("lib/modules/kvm")));
        for (String name : List.of("virtio.ko", "irqbypass.ko", "kvm.ko")) {
            assertTrue(tree.containsKey("lib/modules/" + name), name);
        }
        assertEquals(0020600, tree.get("dev/console").mode());
        for (String mountPoint : List.of("proc", "sys", "dev", "host", "newroot", "scratch")) {
            assertTrue(tree.get(mountPoint).isDirectory(), mountPoint);
        }
    }

    @Test
    void theInitScriptsAreValidShell() throws Exception {
        for (String script : List.of(LabInitramfs.initScript(), LabInitramfs.stage2Script())) {
            Path file = Files.writeString(dir.resolve("script"), script);
            Process sh = new ProcessBuilder("sh", "-n", file.toString()).redirectErrorStream(true).start();
            String errors = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, sh.waitFor(), errors);
        }
    }

    private static KernelModules.Module module(String name) {
        byte[] elf = TestElf.module(Map.of("name", name, "depends", ""));
        return new KernelModules.Module(name, Path.of(name + ".ko"), elf, List.of());
    }

    private static String text(Cpio.Entry entry) {
        return new String(entry.data(), StandardCharsets.UTF_8);
    }
}
