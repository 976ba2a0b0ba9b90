package dev.minidocker.vmm.device;

/**
 * A device as a bus sees it: registers at offsets from the device's base address. The same
 * interface serves I/O ports (the guest's IN/OUT) and MMIO (loads and stores to addresses with
 * no RAM behind them).
 */
public interface BusDevice {
    /** The guest reads size bytes at base + offset. */
    long read(long offset, int size);

    /** The guest writes size bytes at base + offset. */
    void write(long offset, int size, long value);
}
