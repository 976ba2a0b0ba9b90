package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void anExecutableWithoutAProgramInterpreterIsStatic() throws IOException {
        assertTrue(LabInitramfs.isStatic(Files.write(dir.resolve("static"), elfWithProgramHeaders(1, 1))));
        assertFalse(LabInitramfs.isStatic(Files.write(dir.resolve("dynamic"), elfWithProgramHeaders(6, 3, 1))));
        assertFalse(LabInitramfs.isStatic(Files.writeString(dir.resolve("script"), "#!/bin/sh\n")));
    }

    /** An ELF64 header followed by program headers of the given p_type (3 is PT_INTERP). */
    private static byte[] elfWithProgramHeaders(int... types) {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 * types.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(0x10, (short) 2);   // ET_EXEC
        b.putLong(0x20, 64);           // e_phoff
        b.putShort(0x36, (short) 56);  // e_phentsize
        b.putShort(0x38, (short) types.length);
        for (int i = 0; i < types.length; i++) {
            b.putInt(64 + 56 * i, types[i]);
        }
        return b.array();
    }

    private static KernelModules.Module module(String name) {
        byte[] elf = TestElf.module(Map.of("name", name, "depends", ""));
        return new KernelModules.Module(name, Path.of(name + ".ko"), elf, List.of());
    }

    private static String text(Cpio.Entry entry) {
        return new String(entry.data(), StandardCharsets.UTF_8);
    }
}
