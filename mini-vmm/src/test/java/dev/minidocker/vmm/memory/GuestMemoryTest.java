package dev.minidocker.vmm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

class GuestMemoryTest {
    @Test
    void readsBackWhatWasWrittenLittleEndian() {
        try (GuestMemory m = GuestMemory.allocate(0, 64 * 1024)) {
            assertEquals(0, m.readU64(0x100), "fresh anonymous pages are zero");
            m.writeU32(0x100, 0x11223344L);
            assertEquals(0x44, m.readU8(0x100));
            assertEquals(0x3344, m.readU16(0x100));
            m.write(0x200, new byte[] {'h', 'i', 0});
            assertEquals("hi", m.readCString(0x200, 16));
            assertArrayEquals(new byte[] {'h', 'i'}, m.read(0x200, 2));
        }
    }

    @Test
    void accessOutsideGuestMemoryIsRefusedWithTheRange() {
        try (GuestMemory m = GuestMemory.allocate(0x1000, 4096)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.writeU32(0x1ffe, 1));
            assertEquals("guest address 0x1ffe (+4) is outside guest memory 0x1000-0x2000", e.getMessage());
        }
    }

    /** The mapping's VmFlags, as the kernel records them in /proc/self/smaps. */
    private static List<String> vmFlags(long address) {
        return Smaps.of(address).orElseThrow(() -> new AssertionError("no mapping at 0x" + Long.toHexString(address))).vmFlags();
    }

    @Test
    void guestMemoryIsOfferedToKsmAsTheKernelRecordsIt() {
        Privileged.require(Files.isDirectory(Path.of("/sys/kernel/mm/ksm")), "needs a kernel with KSM (CONFIG_KSM)");
        try (GuestMemory m = GuestMemory.allocate(0, 4L << 20)) {
            assertTrue(!vmFlags(m.hostAddress()).contains("mg"), "not mergeable before madvise");
            assertTrue(m.markMergeable());
            assertTrue(m.mergeable());
            // "mg": VM_MERGEABLE, set by madvise(MADV_MERGEABLE) (proc(5), /proc/PID/smaps)
            assertTrue(vmFlags(m.hostAddress()).contains("mg"), vmFlags(m.hostAddress()).toString());
        }
    }

    @Test
    void usageCountsThePagesTheGuestTouched() {
        try (GuestMemory m = GuestMemory.allocate(0, 4L << 20)) {
            long before = m.usage().residentBytes();
            for (long a = 0; a < (1L << 20); a += 4096) {
                m.writeU8(a, 1);
            }
            GuestMemory.Usage u = m.usage();
            assertEquals(4L << 20, u.size());
            assertTrue(u.residentBytes() >= before + (1L << 20) || u.residentBytes() >= (1L << 20), u.describe());
            assertTrue(u.residentBytes() <= 4L << 20, u.describe());
            assertTrue(u.describe().startsWith("guest memory 4 MiB, resident on the host "), u.describe());
        }
    }
}
