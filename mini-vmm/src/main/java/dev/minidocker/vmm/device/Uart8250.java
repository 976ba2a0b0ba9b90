package dev.minidocker.vmm.device;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;

/**
 * The 8250/16550 serial port (UART) of every PC, at I/O ports 0x3f8-0x3ff as COM1: enough of it
 * for a driver that polls the line-status register and for one that waits for interrupts.
 * Bytes the guest transmits go to an output stream; bytes given to {@link #receive} wait in a
 * receive queue for the guest to read.
 */
public final class Uart8250 implements BusDevice {
    public static final int COM1 = 0x3f8;
    public static final int IRQ_COM1 = 4;
    /** The PC's second and third ports: Linux names them ttyS1 and ttyS2; COM3 shares IRQ 4 with COM1. */
    public static final int COM2 = 0x2f8;
    public static final int IRQ_COM2 = 3;
    public static final int COM3 = 0x3e8;
    public static final int IRQ_COM3 = 4;
    public static final int PORTS = 8;

    // register offsets from the base port
    public static final int RBR_THR = 0;  // receive buffer (read) / transmit holding (write); DLL when DLAB
    public static final int IER = 1;      // interrupt enable; DLM when DLAB
    public static final int IIR_FCR = 2;  // interrupt identification (read) / FIFO control (write)
    public static final int LCR = 3;      // line control; bit 7 is DLAB (divisor latch access)
    public static final int MCR = 4;      // modem control; OUT2 gates the IRQ on a PC
    public static final int LSR = 5;      // line status
    public static final int MSR = 6;      // modem status
    public static final int SCR = 7;      // scratch

    public static final int IER_RDI = 0x01;    // interrupt when received data is available
    public static final int IER_THRI = 0x02;   // interrupt when the transmit holding register is empty
    public static final int IIR_NO_INT = 0x01;
    public static final int IIR_THRI = 0x02;
    public static final int IIR_RDI = 0x04;
    public static final int LSR_DR = 0x01;     // data ready: a received byte waits in RBR
    public static final int LSR_THRE = 0x20;   // transmit holding register empty: ok to write THR
    public static final int LSR_TEMT = 0x40;   // transmitter empty
    public static final int LCR_DLAB = 0x80;
    public static final int MCR_OUT2 = 0x08;

    private final OutputStream out;
    private final IrqLine irq;
    private final ArrayDeque<Byte> received = new ArrayDeque<>();
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int dll = 12;   // 9600 baud, if anyone asks
    private int dlm;
    private boolean fifoEnabled;
    private boolean thrEmptyPending;
    private boolean irqHigh;

    public Uart8250(OutputStream out, IrqLine irq) {
        this.out = out;
        this.irq = irq;
    }

    @Override
    public synchronized long read(long offset, int size) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch ((int) offset) {
            case RBR_THR:
                if (dlab) {
                    return dll;
                }
                Byte b = received.poll();
                lowerThenUpdate();   // a fresh edge for the next byte, if any
                return b == null ? 0 : b & 0xff;
            case IER:
                return dlab ? dlm : ier;
            case IIR_FCR: {
                int iir = interruptId();
                if (iir == IIR_THRI) {
                    thrEmptyPending = false;   // reading IIR acknowledges "THR empty"
                    updateIrq();
                }
                return iir | (fifoEnabled ? 0xc0 : 0);
            }
            case LCR:
                return lcr;
            case MCR:
                return mcr;
            case LSR:
                return lineStatus();
            case MSR:
                return 0xb0;   // DCD, DSR and CTS: a cable and a listener are present
            case SCR:
                return scr;
            default:
                return 0xff;
        }
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) (value & 0xff);
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch ((int) offset) {
            case RBR_THR:
                if (dlab) {
                    dll = v;
                } else {
                    transmit(v);
                }
                break;
            case IER:
                if (dlab) {
                    dlm = v;
                } else {
                    ier = v & 0x0f;
                    // enabling THRI while THR is empty raises the interrupt at once, as on the real chip
                    thrEmptyPending = (ier & IER_THRI) != 0;
                    updateIrq();
                }
                break;
            case IIR_FCR:
                fifoEnabled = (v & 0x01) != 0;
                if ((v & 0x02) != 0) {
                    received.clear();
                    updateIrq();
                }
                break;
            case LCR:
                lcr = v;
                break;
            case MCR:
                mcr = v;
                updateIrq();
                break;
            case SCR:
                scr = v;
                break;
            default:
                break;   // LSR and MSR are read-only
        }
    }

    // tag::lsr[]
    /** LSR: what a polling driver reads before each byte it sends or takes. */
    int lineStatus() {
        // exercise:begin ch08-uart-lsr "LSR: DR (0x01) when a received byte waits; THRE (0x20) and TEMT (0x40) always, since we transmit instantly"
        int lsr = LSR_THRE | LSR_TEMT;
        if (!received.isEmpty()) {
            lsr |= LSR_DR;
        }
        return lsr;
        // exercise:end ch08-uart-lsr
    }
    // end::lsr[]

    /** IIR: the highest-priority pending interrupt (received data before THR empty). */
    int interruptId() {
        if ((ier & IER_RDI) != 0 && !received.isEmpty()) {
            return IIR_RDI;
        }
        if ((ier & IER_THRI) != 0 && thrEmptyPending) {
            return IIR_THRI;
        }
        return IIR_NO_INT;
    }

    private void transmit(int b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thrEmptyPending = (ier & IER_THRI) != 0;  // sent at once, so the register is empty again
        lowerThenUpdate();
    }

    /** Bytes typed at the guest: queued for RBR, with an interrupt if the guest enabled one. */
    public synchronized void receive(byte[] bytes) {
        for (byte b : bytes) {
            received.add(b);
        }
        updateIrq();
    }

    public synchronized int pendingInput() {
        return received.size();
    }

    private void lowerThenUpdate() {
        if (irqHigh) {
            irqHigh = false;
            irq.set(false);
        }
        updateIrq();
    }

    // tag::irq[]
    private void updateIrq() {
        // exercise:begin ch10-uart-irq "the line is high while an enabled interrupt is pending and MCR.OUT2 is set; call irq.set only on a change"
        boolean want = interruptId() != IIR_NO_INT && (mcr & MCR_OUT2) != 0;
        if (want != irqHigh) {
            irqHigh = want;
            irq.set(want);
        }
        // exercise:end ch10-uart-irq
    }
    // end::irq[]
}
