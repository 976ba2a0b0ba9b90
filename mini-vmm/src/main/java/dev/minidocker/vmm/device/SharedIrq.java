package dev.minidocker.vmm.device;

import java.util.ArrayList;
import java.util.List;

/**
 * Several devices on one interrupt line, as on a PC's ISA bus where COM1 and COM3 share IRQ 4:
 * the line is high while any of them requests it (a wired OR), so one device lowering its
 * request does not hide another's.
 */
public final class SharedIrq {
    private final IrqLine line;
    private final List<boolean[]> sources = new ArrayList<>();
    private boolean high;

    public SharedIrq(IrqLine line) {
        this.line = line;
    }

    /** A line for one more device on this interrupt. */
    public synchronized IrqLine newSource() {
        boolean[] level = new boolean[1];
        sources.add(level);
        return on -> set(level, on);
    }

    private synchronized void set(boolean[] level, boolean on) {
        level[0] = on;
        boolean any = false;
        for (boolean[] s : sources) {
            any |= s[0];
        }
        if (any != high) {
            high = any;
            line.set(any);
        }
    }
}
