package dev.minidocker.vmm.device;

import java.time.Clock;
import java.time.ZonedDateTime;

/**
 * The PC's CMOS real-time clock (Motorola MC146818) at ports 0x70 (index) and 0x71 (data), with
 * the host's UTC time in BCD. Linux reads the wall-clock time from it at boot; with nothing there
 * its "update in progress" bit reads as set forever and the driver waits for it in vain.
 */
public final class CmosRtc implements BusDevice {
    public static final int INDEX_PORT = 0x70;
    public static final int PORTS = 2;

    static final int SECONDS = 0x00;
    static final int MINUTES = 0x02;
    static final int HOURS = 0x04;
    static final int DAY_OF_WEEK = 0x06;
    static final int DAY = 0x07;
    static final int MONTH = 0x08;
    static final int YEAR = 0x09;
    static final int REG_A = 0x0a;       // bit 7: update in progress (never, here)
    static final int REG_B = 0x0b;       // bit 1: 24-hour mode; bit 2 clear: BCD
    static final int REG_D = 0x0d;       // bit 7: the battery is fine, the time is valid
    static final int CENTURY = 0x32;

    private final Clock clock;
    private int index;

    public CmosRtc(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset == 0) {
            return index;
        }
        return register(index, ZonedDateTime.now(clock));
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset == 0) {
            index = (int) (value & 0x7f);   // bit 7 masks NMIs on a PC
        }
        // writes to the clock are ignored: the guest cannot set the host's time
    }

    static int register(int index, ZonedDateTime t) {
        return switch (index) {
            case SECONDS -> bcd(t.getSecond());
            case MINUTES -> bcd(t.getMinute());
            case HOURS -> bcd(t.getHour());
            case DAY_OF_WEEK -> bcd(t.getDayOfWeek().getValue() % 7 + 1);
            case DAY -> bcd(t.getDayOfMonth());
            case MONTH -> bcd(t.getMonthValue());
            case YEAR -> bcd(t.getYear() % 100);
            case CENTURY -> bcd(t.getYear() / 100);
            case REG_A -> 0x26;    // 32.768 kHz time base, 1024 Hz rate, no update in progress
            case REG_B -> 0x02;    // 24-hour, BCD, no interrupts
            case REG_D -> 0x80;
            default -> 0;
        };
    }

    static int bcd(int v) {
        return (v / 10) << 4 | (v % 10);
    }
}
