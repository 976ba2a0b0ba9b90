package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;

class BusyboxTest {
    @TempDir
    Path dir;

    @Test
    void anExecutableWithoutAProgramInterpreterIsStatic() throws IOException {
        assertTrue(Busybox.isStatic(Files.write(dir.resolve("static"), elfWithProgramHeaders(1, 1))));
        assertFalse(Busybox.isStatic(Files.write(dir.resolve("dynamic"), elfWithProgramHeaders(6, 3, 1))));
        assertFalse(Busybox.isStatic(Files.writeString(dir.resolve("script"), "#!/bin/sh\n")));
    }

    @Test
    void findsTheHostsStaticBusybox() throws IOException {
        Privileged.require(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static");
        Path busybox = Busybox.find();
        assertTrue(Busybox.isStatic(busybox), busybox.toString());
        assertTrue(busybox.isAbsolute() && busybox.equals(busybox.toRealPath()), busybox.toString());
    }

    @Test
    void aDirectoryOnPathWithoutBusyboxIsPassedOver() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = Files.writeString(bin.resolve("busybox"), "#!/bin/sh\n");
        fake.toFile().setExecutable(true);
        assertEquals(fake, Busybox.onPath(dir.resolve("nothing-here") + ":" + bin).orElseThrow());
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
}
