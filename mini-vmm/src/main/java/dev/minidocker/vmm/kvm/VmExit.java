package dev.minidocker.vmm.kvm;

import java.util.HexFormat;

/**
 * Why {@code KVM_RUN} returned: the exit reason and its details, copied out of {@code kvm_run}
 * into a record so the rest of the VMM never touches the native struct.
 */
// tag::vmexit[]
public sealed interface VmExit {
    /** The guest executed OUT (or OUTS): data to write to an I/O port. */
    record IoOut(int port, int size, int count, byte[] data) implements VmExit {
    }

    /** The guest executed IN (or INS): the VMM must supply size * count bytes. */
    record IoIn(int port, int size, int count) implements VmExit {
    }

    /** The guest wrote to a guest-physical address with no memory behind it. */
    record MmioWrite(long address, byte[] data) implements VmExit {
    }

    /** The guest read from a guest-physical address with no memory behind it. */
    record MmioRead(long address, int length) implements VmExit {
    }

    /** The guest executed HLT (only seen without an in-kernel irqchip). */
    record Hlt() implements VmExit {
    }

    /** The guest triple-faulted: a real PC would reset. */
    record Shutdown() implements VmExit {
    }

    /** VM entry failed: the register state is one the CPU refuses to run. */
    record FailEntry(long hardwareReason, int cpu) implements VmExit {
    }

    /** KVM itself could not handle something (for example an instruction it cannot emulate). */
    record InternalError(int suberror, long[] data) implements VmExit {
    }

    /** KVM_RUN was interrupted by a signal before the guest finished anything worth reporting. */
    record Interrupted() implements VmExit {
    }

    /** Any other exit reason, by number. */
    record Other(int reason) implements VmExit {
    }
    // end::vmexit[]

    /** The kernel's name for this exit, e.g. {@code KVM_EXIT_IO}. */
    default String reasonName() {
        if (this instanceof IoOut || this instanceof IoIn) {
            return "KVM_EXIT_IO";
        } else if (this instanceof MmioWrite || this instanceof MmioRead) {
            return "KVM_EXIT_MMIO";
        } else if (this instanceof Hlt) {
            return "KVM_EXIT_HLT";
        } else if (this instanceof Shutdown) {
            return "KVM_EXIT_SHUTDOWN";
        } else if (this instanceof FailEntry) {
            return "KVM_EXIT_FAIL_ENTRY";
        } else if (this instanceof InternalError) {
            return "KVM_EXIT_INTERNAL_ERROR";
        } else if (this instanceof Interrupted) {
            return "KVM_EXIT_INTR";
        }
        return reasonName(((Other) this).reason());
    }

    /** One line for --trace-exits. */
    default String describe() {
        if (this instanceof IoOut o) {
            return String.format("KVM_EXIT_IO  out port=0x%x size=%d count=%d data=%s%s", o.port(), o.size(), o.count(),
                    HexFormat.of().formatHex(o.data()), printable(o.data()));
        } else if (this instanceof IoIn i) {
            return String.format("KVM_EXIT_IO  in  port=0x%x size=%d count=%d", i.port(), i.size(), i.count());
        } else if (this instanceof MmioWrite w) {
            return String.format("KVM_EXIT_MMIO write addr=0x%x len=%d data=%s", w.address(), w.data().length,
                    HexFormat.of().formatHex(w.data()));
        } else if (this instanceof MmioRead r) {
            return String.format("KVM_EXIT_MMIO read  addr=0x%x len=%d", r.address(), r.length());
        } else if (this instanceof FailEntry f) {
            return String.format("KVM_EXIT_FAIL_ENTRY hardware_entry_failure_reason=0x%x", f.hardwareReason());
        } else if (this instanceof InternalError e) {
            return "KVM_EXIT_INTERNAL_ERROR suberror=" + e.suberror();
        }
        return reasonName();
    }

    private static String printable(byte[] data) {
        if (data.length == 1 && data[0] >= 0x20 && data[0] < 0x7f) {
            return " '" + (char) data[0] + "'";
        }
        return "";
    }

    /** Names of the exit reasons in {@code <linux/kvm.h>} that x86 can produce. */
    static String reasonName(int reason) {
        return switch (reason) {
            case KvmRun.KVM_EXIT_UNKNOWN -> "KVM_EXIT_UNKNOWN";
            case KvmRun.KVM_EXIT_EXCEPTION -> "KVM_EXIT_EXCEPTION";
            case KvmRun.KVM_EXIT_IO -> "KVM_EXIT_IO";
            case KvmRun.KVM_EXIT_HYPERCALL -> "KVM_EXIT_HYPERCALL";
            case KvmRun.KVM_EXIT_DEBUG -> "KVM_EXIT_DEBUG";
            case KvmRun.KVM_EXIT_HLT -> "KVM_EXIT_HLT";
            case KvmRun.KVM_EXIT_MMIO -> "KVM_EXIT_MMIO";
            case KvmRun.KVM_EXIT_IRQ_WINDOW_OPEN -> "KVM_EXIT_IRQ_WINDOW_OPEN";
            case KvmRun.KVM_EXIT_SHUTDOWN -> "KVM_EXIT_SHUTDOWN";
            case KvmRun.KVM_EXIT_FAIL_ENTRY -> "KVM_EXIT_FAIL_ENTRY";
            case KvmRun.KVM_EXIT_INTR -> "KVM_EXIT_INTR";
            case KvmRun.KVM_EXIT_INTERNAL_ERROR -> "KVM_EXIT_INTERNAL_ERROR";
            case KvmRun.KVM_EXIT_SYSTEM_EVENT -> "KVM_EXIT_SYSTEM_EVENT";
            default -> "exit reason " + reason;
        };
    }
}
