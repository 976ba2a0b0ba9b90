package dev.minidocker.vmm.machine;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

import dev.minidocker.vmm.kvm.VmExit;

/** Exit counts by reason, and where the time went: inside KVM_RUN (the guest) or in the VMM. */
public final class ExitStats {
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<Integer, Long> ports = new TreeMap<>();
    private long exits;
    private long guestNanos;
    private long vmmNanos;

    void record(VmExit exit, long inGuestNanos, long inVmmNanos) {
        counts.merge(exit.reasonName(), 1L, Long::sum);
        if (exit instanceof VmExit.IoOut out) {
            ports.merge(out.port(), 1L, Long::sum);
        } else if (exit instanceof VmExit.IoIn in) {
            ports.merge(in.port(), 1L, Long::sum);
        }
        exits++;
        guestNanos += inGuestNanos;
        vmmNanos += inVmmNanos;
    }

    public long exits() {
        return exits;
    }

    public long count(String reasonName) {
        return counts.getOrDefault(reasonName, 0L);
    }

    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** I/O exits at this port, IN and OUT together. */
    public long ioExitsAt(int port) {
        return ports.getOrDefault(port, 0L);
    }

    public long guestNanos() {
        return guestNanos;
    }

    public long vmmNanos() {
        return vmmNanos;
    }

    public void print(PrintStream out) {
        out.println("vm exits by reason:");
        counts.forEach((reason, n) -> out.printf("  %-26s %10d%n", reason, n));
        out.printf("  %-26s %10d%n", "total", exits);
        if (!ports.isEmpty()) {
            StringBuilder sb = new StringBuilder("  I/O exits by port:");
            ports.forEach((port, n) -> sb.append(String.format(" 0x%x=%d", port, n)));
            out.println(sb);
        }
        double total = (guestNanos + vmmNanos) / 1e6;
        out.printf("time: %.1f ms in KVM_RUN (guest and kernel), %.1f ms in the VMM handling exits%n",
                guestNanos / 1e6, vmmNanos / 1e6);
        if (exits > 0 && total > 0) {
            out.printf("      %.0f exits/s, %.2f us per exit round trip%n", exits / (total / 1e3), total * 1e3 / exits);
        }
    }
}
