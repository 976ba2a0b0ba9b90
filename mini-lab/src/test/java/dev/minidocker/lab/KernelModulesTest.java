package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelModulesTest {
    @TempDir
    Path tree;

    @BeforeEach
    void fakeModulesTree() throws IOException {
        // the shape of Debian's 6.1: kvm-amd needs kvm and ccp, kvm needs irqbypass
        module("arch/x86/kvm/kvm-amd.ko", "kvm_amd", "kvm,ccp");
        module("arch/x86/kvm/kvm.ko", "kvm", "irqbypass");
        module("virt/lib/irqbypass.ko", "irqbypass", "");
        module("drivers/crypto/ccp/ccp.ko", "ccp", "");
        module("fs/9p/9p.ko", "9p", "9pnet,fscache,netfs");
        module("net/9p/9pnet.ko", "9pnet", "");
        module("fs/fscache/fscache.ko", "fscache", "netfs");
        module("fs/netfs/netfs.ko", "netfs", "");
        Files.writeString(tree.resolve("modules.builtin"), "kernel/fs/overlayfs/overlay.ko\nkernel/drivers/virtio/virtio.ko\n");
    }

    @Test
    void dependenciesComeBeforeTheModulesThatNeedThem() {
        List<String> order = names(new KernelModules(tree).loadOrder(List.of("kvm_amd")));
        assertEquals(List.of("irqbypass", "kvm", "ccp", "kvm_amd"), order);
    }

    @Test
    void eachModuleIsLoadedOnceEvenWhenSharedByTwo() {
        List<String> order = names(new KernelModules(tree).loadOrder(List.of("9p", "fscache")));
        assertEquals(List.of("9pnet", "netfs", "fscache", "9p"), order);
    }

    @Test
    void dashesAndUnderscoresNameTheSameModule() {
        assertEquals(names(new KernelModules(tree).loadOrder(List.of("kvm_amd"))),
                names(new KernelModules(tree).loadOrder(List.of("kvm-amd"))));
    }

    @Test
    void builtInModulesAreNotLoaded() {
        KernelModules modules = new KernelModules(tree);
        assertTrue(modules.isBuiltin("overlay"));
        assertFalse(modules.isBuiltin("kvm"));
        assertEquals(List.of(), modules.loadOrder(List.of("overlay", "virtio")));
    }

    @Test
    void aMissingModuleIsNamedInTheError() {
        LabException e = assertThrows(LabException.class, () -> new KernelModules(tree).loadOrder(List.of("9pnet_virtio")));
        assertTrue(e.getMessage().contains("9pnet_virtio"), e.getMessage());
    }

    @Test
    void gzipCompressedModulesAreUnpacked() throws IOException {
        byte[] elf = TestElf.module(Map.of("name", "zmod", "depends", "ccp"));
        Path file = Files.createDirectories(tree.resolve("kernel/extra")).resolve("zmod.ko.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(elf);
        }
        List<KernelModules.Module> order = new KernelModules(tree).loadOrder(List.of("zmod"));
        assertEquals(List.of("ccp", "zmod"), names(order));
        assertArrayEquals(elf, order.get(1).contents());
        assertEquals("zmod.ko", order.get(1).fileName());
    }

    private void module(String path, String name, String depends) throws IOException {
        Path file = tree.resolve("kernel").resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, TestElf.module(Map.of("name", name, "depends", depends)));
    }

    private static List<String> names(List<KernelModules.Module> modules) {
        return modules.stream().map(KernelModules.Module::name).toList();
    }
}
