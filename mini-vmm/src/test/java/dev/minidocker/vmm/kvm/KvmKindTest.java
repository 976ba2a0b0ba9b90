package dev.minidocker.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmKindTest {
    @TempDir
    Path tmp;

    private KvmKind kindWith(String... modules) throws IOException {
        Path dev = Files.createFile(tmp.resolve("kvm"));
        Path sys = Files.createDirectories(tmp.resolve("module"));
        for (String m : modules) {
            Files.createDirectories(sys.resolve(m));
        }
        return KvmKind.detect(dev, sys);
    }

    @Test
    void theEmulatedKvmOfTheseMachinesIsToldApartAndDoesNotBootLinux() throws IOException {
        KvmKind k = kindWith("kvm", "kvm_pvm");
        assertEquals(KvmKind.EMULATED, k);
        assertFalse(k.bootsLinux());
    }

    @Test
    void hardwareKvmBootsLinux() throws IOException {
        assertEquals(KvmKind.HARDWARE_AMD, kindWith("kvm", "kvm_amd"));
        assertTrue(KvmKind.HARDWARE_AMD.bootsLinux());
        assertTrue(KvmKind.HARDWARE_INTEL.bootsLinux());
    }

    @Test
    void noDeviceIsMissing() {
        assertEquals(KvmKind.MISSING, KvmKind.detect(tmp.resolve("none"), tmp));
        assertFalse(KvmKind.MISSING.bootsLinux());
    }
}
