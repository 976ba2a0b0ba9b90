package dev.minidocker.vmm.device;

/**
 * The reset control register at I/O port 0xcf9 (the chipset's): writing it with the "reset CPU"
 * bit (0x04) set resets the machine. Linux uses it with {@code reboot=p} and as a fallback.
 */
public final class ResetControl implements BusDevice {
    public static final int PORT = 0xcf9;
    static final int RESET_CPU = 0x04;

    private final ResetLine reset;
    private int value;

    public ResetControl(ResetLine reset) {
        this.reset = reset;
    }

    @Override
    public long read(long offset, int size) {
        return value;
    }

    @Override
    public void write(long offset, int size, long v) {
        value = (int) (v & 0xff);
        if ((value & RESET_CPU) != 0) {
            reset.pull("reset control register (port 0xcf9)");
        }
    }
}
