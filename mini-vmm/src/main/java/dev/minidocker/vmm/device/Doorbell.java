package dev.minidocker.vmm.device;

import java.util.concurrent.CountDownLatch;

/**
 * A one-port device a guest writes to say "ready": a VMM thread waiting in {@link #await} goes
 * on. VM-isolated containers ring it (port 0xf5, next to the debug-exit port) once the command's
 * serial port is set up, so stdin is fed only after the guest's driver opened it (opening clears
 * the FIFO) and turned echo off.
 */
public final class Doorbell implements BusDevice {
    public static final int PORT = 0xf5;

    private final CountDownLatch rung = new CountDownLatch(1);

    @Override
    public long read(long offset, int size) {
        return rung.getCount() == 0 ? 1 : 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        rung.countDown();
    }

    /** Waits for the guest's write; false if interrupted first. */
    public boolean await() {
        try {
            rung.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
