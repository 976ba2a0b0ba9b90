package dev.minidocker.vmm.device;

import java.nio.charset.StandardCharsets;

/**
 * An MMIO device: one line of text the guest writes with ordinary stores (byte i at offset i),
 * and a register at {@link #COUNT} the guest reads with an ordinary load, returning how many
 * characters have been stored. There is no RAM behind it, so each access is a KVM_EXIT_MMIO.
 */
public final class TextDisplay implements BusDevice {
    public static final int COLUMNS = 80;
    /** Read-only register: number of character stores so far. */
    public static final int COUNT = 0x100;
    public static final int SIZE = 0x1000;

    private final byte[] line = new byte[COLUMNS];
    private int stores;

    @Override
    public synchronized long read(long offset, int size) {
        if (offset == COUNT) {
            return stores;
        }
        return offset < COLUMNS ? line[(int) offset] & 0xff : 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        for (int i = 0; i < size && offset + i < COLUMNS; i++) {
            line[(int) offset + i] = (byte) (value >>> (8 * i));
            stores++;
        }
    }

    /** Character stores so far: what the {@link #COUNT} register reads. */
    public synchronized int stores() {
        return stores;
    }

    /** The text on the display, up to the first empty column. */
    public synchronized String text() {
        int n = 0;
        while (n < COLUMNS && line[n] != 0) {
            n++;
        }
        return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }
}
