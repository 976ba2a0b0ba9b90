package dev.minidocker.vmm.device;

import java.util.ArrayList;
import java.util.List;

/**
 * Routes an access at an address to the device registered for the range that contains it.
 * mini-vmm has two: the I/O port bus (addresses 0-0xffff) and the MMIO bus (guest-physical
 * addresses). Like a real bus, an access no device claims reads all ones and writes vanish.
 */
public final class Bus {
    private record Range(long base, long length, String name, BusDevice device) {
        boolean contains(long address) {
            return address >= base && address - base < length;
        }
    }

    private final String name;
    private final List<Range> ranges = new ArrayList<>();
    private long unclaimed;

    public Bus(String name) {
        this.name = name;
    }

    public Bus register(long base, long length, String deviceName, BusDevice device) {
        for (Range r : ranges) {
            if (base < r.base + r.length && r.base < base + length) {
                throw new IllegalArgumentException(String.format("%s bus: %s at 0x%x overlaps %s", name, deviceName, base, r.name));
            }
        }
        ranges.add(new Range(base, length, deviceName, device));
        return this;
    }

    // tag::dispatch[]
    public long read(long address, int size) {
        for (Range r : ranges) {
            if (r.contains(address)) {
                return r.device.read(address - r.base, size);
            }
        }
        unclaimed++;
        return size >= 8 ? -1L : (1L << (8 * size)) - 1;   // nothing answers: the bus floats high
    }

    public void write(long address, int size, long value) {
        for (Range r : ranges) {
            if (r.contains(address)) {
                r.device.write(address - r.base, size, value);
                return;
            }
        }
        unclaimed++;
    }
    // end::dispatch[]

    /** The name of the device at address, or null. */
    public String deviceAt(long address) {
        for (Range r : ranges) {
            if (r.contains(address)) {
                return r.name;
            }
        }
        return null;
    }

    /** Accesses no device claimed. */
    public long unclaimed() {
        return unclaimed;
    }

    public String name() {
        return name;
    }
}
