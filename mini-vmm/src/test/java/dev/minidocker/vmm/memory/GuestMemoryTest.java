package dev.minidocker.vmm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

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
}
