package dev.minidocker.vmm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BusTest {
    @Test
    void accessesReachTheDeviceAtTheirOffsetAndUnclaimedOnesFloatHigh() {
        Bus bus = new Bus("MMIO");
        TextDisplay display = new TextDisplay();
        bus.register(0x1000, TextDisplay.SIZE, "display", display);
        bus.write(0x1000, 1, 'o');
        bus.write(0x1001, 2, '!' << 8 | 'k');      // little-endian: 'k' first
        assertEquals("ok!", display.text());
        assertEquals(3, bus.read(0x1000 + TextDisplay.COUNT, 4));
        assertEquals(0xffL, bus.read(0x9000, 1));
        assertEquals(0xffffffffL, bus.read(0x9000, 4));
        assertEquals(2, bus.unclaimed());
        assertEquals("display", bus.deviceAt(0x1fff));
    }

    @Test
    void overlappingDevicesAreRefused() {
        Bus bus = new Bus("I/O");
        bus.register(0x3f8, 8, "uart", new DebugExit());
        assertThrows(IllegalArgumentException.class, () -> bus.register(0x3ff, 1, "other", new DebugExit()));
    }
}
