package dev.minidocker.vmm.device;

/**
 * The PC's keyboard controller (Intel 8042) with no keyboard or mouse behind it: data port 0x60,
 * status/command port 0x64. Linux reads the status register while it probes and to reset the
 * machine ({@code reboot=k}: command 0xfe pulses the CPU's reset line). Answering the few
 * controller commands the probe sends (read/write the control byte, self-test) lets it finish
 * at once instead of waiting for time-outs.
 */
public final class I8042 implements BusDevice {
    public static final int DATA_PORT = 0x60;
    public static final int COMMAND_PORT = 0x64;

    static final int STATUS_OUTPUT_FULL = 0x01;   // a byte waits in the data port for the CPU
    static final int STATUS_SYSTEM = 0x04;        // "system flag": set after a successful self-test
    static final int STATUS_UNLOCKED = 0x10;      // the keyboard is not locked by a key switch
    static final int CTR_KBD_DISABLED = 0x10;
    static final int CTR_AUX_DISABLED = 0x20;
    static final int CMD_AUX_DISABLE = 0xa7;
    static final int CMD_AUX_ENABLE = 0xa8;
    static final int CMD_KBD_DISABLE = 0xad;
    static final int CMD_KBD_ENABLE = 0xae;
    static final int CMD_READ_CTR = 0x20;
    static final int CMD_WRITE_CTR = 0x60;
    static final int CMD_SELF_TEST = 0xaa;
    static final int CMD_KBD_TEST = 0xab;
    static final int CMD_AUX_TEST = 0xa9;
    static final int CMD_PULSE_RESET = 0xfe;

    private final ResetLine reset;
    private int controlByte = 0x45;   // keyboard interrupt on, system flag, translation: as firmware leaves it
    private int output = -1;          // the byte in the output buffer, or -1
    private int pendingCommand = -1;  // a command waiting for its data byte on port 0x60

    public I8042(ResetLine reset) {
        this.reset = reset;
    }

    /** Registers the two ports (they are not adjacent: 0x61 is the PIT's speaker gate). */
    public void attach(Bus io) {
        io.register(DATA_PORT, 1, "i8042 data", new BusDevice() {
            @Override
            public long read(long offset, int size) {
                return readData();
            }

            @Override
            public void write(long offset, int size, long value) {
                writeData((int) (value & 0xff));
            }
        });
        io.register(COMMAND_PORT, 1, "i8042 status/command", this);
    }

    /** Port 0x64 read: the status register. */
    @Override
    public synchronized long read(long offset, int size) {
        return STATUS_SYSTEM | STATUS_UNLOCKED | (output >= 0 ? STATUS_OUTPUT_FULL : 0);
    }

    /** Port 0x64 write: a controller command. */
    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) (value & 0xff);
        switch (v) {
            case CMD_READ_CTR -> output = controlByte;
            case CMD_WRITE_CTR -> pendingCommand = v;
            case CMD_SELF_TEST -> output = 0x55;                  // "test passed"
            case CMD_KBD_TEST, CMD_AUX_TEST -> output = 0x00;     // "no error"
            // the driver checks that these show in the control byte
            case CMD_AUX_DISABLE -> controlByte |= CTR_AUX_DISABLED;
            case CMD_AUX_ENABLE -> controlByte &= ~CTR_AUX_DISABLED;
            case CMD_KBD_DISABLE -> controlByte |= CTR_KBD_DISABLED;
            case CMD_KBD_ENABLE -> controlByte &= ~CTR_KBD_DISABLED;
            case CMD_PULSE_RESET -> reset.pull("keyboard controller reset (port 0x64, command 0xfe)");
            default -> {
                // enable/disable ports and the like: nothing to do without devices
            }
        }
    }

    synchronized int readData() {
        int b = output < 0 ? 0 : output;
        output = -1;
        return b;
    }

    synchronized void writeData(int v) {
        if (pendingCommand == CMD_WRITE_CTR) {
            controlByte = v;
        }
        pendingCommand = -1;   // otherwise a byte for the keyboard itself: there is none, no answer
    }
}
