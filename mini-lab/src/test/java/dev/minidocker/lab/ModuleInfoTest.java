package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModuleInfoTest {

    @Test
    void readsNameAndDependenciesFromTheModinfoSection() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("license", "GPL");
        fields.put("depends", "kvm,ccp");
        fields.put("name", "kvm_amd");
        fields.put("vermagic", "6.1.0-56-amd64 SMP preempt mod_unload modversions");
        ModuleInfo info = ModuleInfo.parse(TestElf.module(fields));
        assertEquals("kvm_amd", info.name());
        assertEquals(List.of("kvm", "ccp"), info.depends());
        assertEquals("6.1.0-56-amd64 SMP preempt mod_unload modversions", info.fields().get("vermagic"));
    }

    @Test
    void emptyDependsMeansNoDependencies() {
        ModuleInfo info = ModuleInfo.parse(TestElf.module(Map.of("name", "overlay", "depends", "")));
        assertTrue(info.depends().isEmpty());
    }

    @Test
    void dependencyNamesAreSpelledWithUnderscores() {
        ModuleInfo info = ModuleInfo.parse(TestElf.module(Map.of("name", "x", "depends", "virtio-ring,9pnet")));
        assertEquals(List.of("virtio_ring", "9pnet"), info.depends());
    }

    @Test
    void aCompressedModuleIsRejectedWithAHint() {
        byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        LabException e = assertThrows(LabException.class, () -> ModuleInfo.parse(xz));
        assertTrue(e.getMessage().contains("compressed"), e.getMessage());
    }
}
