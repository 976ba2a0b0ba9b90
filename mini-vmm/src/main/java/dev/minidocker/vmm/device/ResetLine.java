package dev.minidocker.vmm.device;

/**
 * The CPU's reset line: a PC resets through the keyboard controller (command 0xfe on port 0x64),
 * the reset control register (port 0xcf9) or a triple fault. A VMM that boots Linux ends the run
 * there: Linux's {@code reboot} and its panic handler both end up pulling this line.
 */
public final class ResetLine {
    private volatile String reason;

    public void pull(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    public boolean pulled() {
        return reason != null;
    }

    /** What pulled the line, e.g. "i8042 reset command", or null. */
    public String reason() {
        return reason;
    }
}
