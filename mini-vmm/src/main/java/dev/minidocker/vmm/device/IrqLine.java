package dev.minidocker.vmm.device;

/** An interrupt request line from a device to the interrupt controller. */
@FunctionalInterface
public interface IrqLine {
    /** Drive the line high (request) or low. */
    void set(boolean high);

    /** A line connected to nothing, for machines without an interrupt controller. */
    IrqLine NONE = high -> { };
}
