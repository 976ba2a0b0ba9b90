package dev.minidocker.vmm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class CmosRtcTest {
    private final CmosRtc rtc = new CmosRtc(Clock.fixed(Instant.parse("2026-11-27T04:59:38Z"), ZoneOffset.UTC));

    private int read(int index) {
        rtc.write(0, 1, index);
        return (int) rtc.read(1, 1);
    }

    @Test
    void timeReadsInBcd() {
        assertEquals(0x38, read(0x00));
        assertEquals(0x59, read(0x02));
        assertEquals(0x04, read(0x04));
        assertEquals(0x27, read(0x07));
        assertEquals(0x11, read(0x08));
        assertEquals(0x26, read(0x09));
        assertEquals(0x20, read(0x32));
    }

    @Test
    void noUpdateInProgressAndTheTimeIsValid() {
        assertEquals(0, read(0x0a) & 0x80);
        assertEquals(0x02, read(0x0b), "24-hour mode, BCD");
        assertEquals(0x80, read(0x0d));
    }

    @Test
    void theNmiMaskBitIsNotPartOfTheIndex() {
        assertEquals(0x38, read(0x80));
    }
}
