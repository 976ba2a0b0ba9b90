package dev.minidocker.vmm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SharedIrqTest {
    @Test
    void theLineStaysHighWhileAnyDeviceRequestsIt() {
        List<Boolean> edges = new ArrayList<>();
        SharedIrq irq4 = new SharedIrq(edges::add);
        IrqLine com1 = irq4.newSource();
        IrqLine com3 = irq4.newSource();
        com1.set(true);
        com3.set(true);
        com1.set(false);   // COM3 still asks: the line must not drop
        assertEquals(List.of(true), edges);
        com3.set(false);
        assertEquals(List.of(true, false), edges);
    }

    @Test
    void onlyChangesReachTheInterruptController() {
        List<Boolean> edges = new ArrayList<>();
        IrqLine only = new SharedIrq(edges::add).newSource();
        only.set(false);
        only.set(true);
        only.set(true);
        assertEquals(List.of(true), edges);
    }
}
