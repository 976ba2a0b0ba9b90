package dev.minidocker.vmm.device;

/**
 * A one-port device that ends the VM: the byte the guest writes becomes the VMM's exit code.
 * It is how a guest says "done" when HLT cannot (with an in-kernel irqchip, HLT waits for an
 * interrupt inside the kernel instead of exiting to the VMM).
 */
public final class DebugExit implements BusDevice {
    public static final int PORT = 0xf4;

    private volatile int code = -1;

    @Override
    public long read(long offset, int size) {
        return 0xff;
    }

    @Override
    public void write(long offset, int size, long value) {
        code = (int) (value & 0xff);
    }

    public boolean requested() {
        return code >= 0;
    }

    public int code() {
        return code;
    }
}
