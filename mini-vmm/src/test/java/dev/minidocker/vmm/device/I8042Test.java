package dev.minidocker.vmm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class I8042Test {
    private final ResetLine reset = new ResetLine();
    private final Bus io = new Bus("I/O");

    I8042Test() {
        new I8042(reset).attach(io);
        io.register(ResetControl.PORT, 1, "reset control", new ResetControl(reset));
    }

    @Test
    void statusSaysNothingWaitsUntilACommandAnswers() {
        assertEquals(0, io.read(0x64, 1) & 0x01, "output buffer empty");
        io.write(0x64, 1, 0xaa);                 // self-test
        assertEquals(1, io.read(0x64, 1) & 0x01);
        assertEquals(0x55, io.read(0x60, 1));
        assertEquals(0, io.read(0x64, 1) & 0x01, "read empties it");
    }

    @Test
    void controlByteIsReadWrittenAndShowsDisabledPorts() {
        io.write(0x64, 1, 0x60);
        io.write(0x60, 1, 0x01);
        io.write(0x64, 1, 0xa7);                 // disable the AUX port
        io.write(0x64, 1, 0x20);
        assertEquals(0x21, io.read(0x60, 1));
    }

    @Test
    void pulseResetPullsTheResetLine() {
        assertFalse(reset.pulled());
        io.write(0x64, 1, 0xfe);
        assertTrue(reset.pulled());
        assertEquals("keyboard controller reset (port 0x64, command 0xfe)", reset.reason());
    }

    @Test
    void port0xcf9ResetsOnlyWithTheResetBit() {
        io.write(0xcf9, 1, 0x02);
        assertFalse(reset.pulled());
        io.write(0xcf9, 1, 0x06);
        assertEquals("reset control register (port 0xcf9)", reset.reason());
    }

    @Test
    void port0x61StaysFreeForThePit() {
        assertEquals(null, io.deviceAt(0x61));
    }
}
