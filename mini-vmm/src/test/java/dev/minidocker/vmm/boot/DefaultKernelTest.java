package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.vmm.kvm.VmmException;

class DefaultKernelTest {
    @TempDir
    Path boot;

    @Test
    void withoutTheRunningKernelTheNewestReadableImageInBootIsTaken() throws IOException {
        Files.writeString(boot.resolve("vmlinuz-6.1.0-9-amd64"), "old");
        Path newest = Files.writeString(boot.resolve("vmlinuz-6.1.0-10-amd64"), "new");
        Files.writeString(boot.resolve("config-6.1.0-10-amd64"), "not a kernel");
        assertEquals(Optional.of(newest), DefaultKernel.fromBoot(boot), "6.1.0-10 is newer than 6.1.0-9");
    }

    @Test
    void anEmptyBootHasNoKernel() {
        assertEquals(Optional.empty(), DefaultKernel.fromBoot(boot));
    }

    @Test
    void mini_vmmAloneHasNoOtherKernelSourceAndSaysWhatToDo() {
        // mini-lab is not on this module's class path: the VMM runs without it
        VmmException e = assertThrows(VmmException.class, () -> DefaultKernel.fromSource(new PrintStream(PrintStream.nullOutputStream())));
        assertEquals("no readable kernel in /boot (vmlinuz-*): pass --kernel BZIMAGE, or run through ./mini, "
                + "whose lab fetches Debian's kernel", e.getMessage());
    }
}
