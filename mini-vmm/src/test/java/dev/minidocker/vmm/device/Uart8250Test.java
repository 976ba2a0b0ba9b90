package dev.minidocker.vmm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class Uart8250Test {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Boolean> irq = new ArrayList<>();
    private final Uart8250 uart = new Uart8250(out, irq::add);

    @Test
    void transmitterIsAlwaysReadyAndBytesGoOut() {
        assertEquals(Uart8250.LSR_THRE | Uart8250.LSR_TEMT, uart.read(Uart8250.LSR, 1));
        uart.write(Uart8250.RBR_THR, 1, 'A');
        assertEquals("A", out.toString());
    }

    @Test
    void receivedBytesSetDataReadyUntilRead() {
        uart.receive(new byte[] {'x', 'y'});
        assertEquals(Uart8250.LSR_DR, uart.read(Uart8250.LSR, 1) & Uart8250.LSR_DR);
        assertEquals('x', uart.read(Uart8250.RBR_THR, 1));
        assertEquals('y', uart.read(Uart8250.RBR_THR, 1));
        assertEquals(0, uart.read(Uart8250.LSR, 1) & Uart8250.LSR_DR);
    }

    @Test
    void dlabSwitchesOffsetsZeroAndOneToTheDivisor() {
        uart.write(Uart8250.LCR, 1, Uart8250.LCR_DLAB | 0x03);
        uart.write(Uart8250.RBR_THR, 1, 1);          // DLL: 115200 baud
        uart.write(Uart8250.IER, 1, 0);
        assertEquals("", out.toString(), "a divisor write is not data");
        assertEquals(1, uart.read(Uart8250.RBR_THR, 1));
        uart.write(Uart8250.LCR, 1, 0x03);
        assertEquals(0, uart.read(Uart8250.IER, 1), "IER untouched");
    }

    @Test
    void receiveInterruptRaisesTheLineOnlyWhenEnabledAndOut2IsSet() {
        uart.receive(new byte[] {'a'});
        assertEquals(List.of(), irq);
        assertEquals(Uart8250.IIR_NO_INT, uart.read(Uart8250.IIR_FCR, 1));
        uart.write(Uart8250.IER, 1, Uart8250.IER_RDI);
        assertEquals(List.of(), irq, "OUT2 still off: the PC's IRQ gate is closed");
        uart.write(Uart8250.MCR, 1, Uart8250.MCR_OUT2);
        assertEquals(List.of(true), irq);
        assertEquals(Uart8250.IIR_RDI, uart.read(Uart8250.IIR_FCR, 1));
        uart.read(Uart8250.RBR_THR, 1);
        assertEquals(List.of(true, false), irq);
    }

    @Test
    void eachQueuedByteGivesTheEdgeTriggeredPicAFreshEdge() {
        uart.write(Uart8250.MCR, 1, Uart8250.MCR_OUT2);
        uart.write(Uart8250.IER, 1, Uart8250.IER_RDI);
        uart.receive(new byte[] {'a', 'b'});
        uart.read(Uart8250.RBR_THR, 1);
        assertEquals(List.of(true, false, true), irq);
    }

    @Test
    void transmitterEmptyInterruptIsAcknowledgedByReadingIir() {
        uart.write(Uart8250.MCR, 1, Uart8250.MCR_OUT2);
        uart.write(Uart8250.IER, 1, Uart8250.IER_THRI);
        assertEquals(Uart8250.IIR_THRI, uart.read(Uart8250.IIR_FCR, 1));
        assertEquals(Uart8250.IIR_NO_INT, uart.read(Uart8250.IIR_FCR, 1));
        assertEquals(List.of(true, false), irq);
    }
}
