package dev.minidocker.vmm.machine;

import java.io.PrintStream;

import dev.minidocker.vmm.device.Bus;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.device.ResetLine;
import dev.minidocker.vmm.kvm.KvmRun;
import dev.minidocker.vmm.kvm.Regs;
import dev.minidocker.vmm.kvm.Vcpu;
import dev.minidocker.vmm.kvm.VmExit;

/**
 * The heart of a VMM: run the vCPU until it exits, find out why, do what the guest asked
 * (usually a device access), and run it again, until the guest halts or asks to stop.
 */
public final class RunLoop {
    private final Vcpu vcpu;
    private final Bus ioBus;
    private final Bus mmioBus;
    private final DebugExit debugExit;
    private final PrintStream trace;
    private final ExitStats stats = new ExitStats();
    private ResetLine reset;

    /** trace: where to print each exit, or null. */
    public RunLoop(Vcpu vcpu, Bus ioBus, Bus mmioBus, DebugExit debugExit, PrintStream trace) {
        this.vcpu = vcpu;
        this.ioBus = ioBus;
        this.mmioBus = mmioBus;
        this.debugExit = debugExit;
        this.trace = trace;
    }

    /**
     * With a reset line, a reset request (keyboard controller, port 0xcf9) or a triple fault ends
     * the run as a RESET instead of an error: what a PC does, and how Linux reboots.
     */
    public RunLoop withReset(ResetLine line) {
        this.reset = line;
        return this;
    }

    // tag::run-loop[]
    public RunResult run() {
        while (true) {
            long t0 = System.nanoTime();
            VmExit exit = vcpu.run();                        // the guest runs here
            long t1 = System.nanoTime();
            if (trace != null) {
                trace.println(exit.describe());
            }
            if (reset != null && exit instanceof VmExit.Shutdown) {
                reset.pull("triple fault (KVM_EXIT_SHUTDOWN)");
                return new RunResult(RunResult.End.RESET, 0, vcpu.getRegs(), stats);
            }
            boolean halted = dispatch(exit, vcpu.kvmRun());
            stats.record(exit, t1 - t0, System.nanoTime() - t1);
            if (halted) {
                return new RunResult(RunResult.End.HLT, 0, vcpu.getRegs(), stats);
            }
            if (debugExit.requested()) {
                return new RunResult(RunResult.End.DEBUG_EXIT, debugExit.code(), vcpu.getRegs(), stats);
            }
            if (reset != null && reset.pulled()) {
                return new RunResult(RunResult.End.RESET, 0, vcpu.getRegs(), stats);
            }
        }
    }

    /** Does what the exit asks for; true when the guest has halted. */
    private boolean dispatch(VmExit exit, KvmRun kvmRun) {
        // exercise:begin ch07-kvm-run-loop "I/O exits to the I/O bus, MMIO exits to the MMIO bus (answer reads through kvm_run), true on HLT, false when interrupted, throw failure(exit) otherwise"
        if (exit instanceof VmExit.IoOut out) {
            handleOut(out);
            return false;
        }
        if (exit instanceof VmExit.IoIn in) {
            kvmRun.completeIoIn(traced(handleIn(in)));
            return false;
        }
        if (exit instanceof VmExit.MmioWrite w) {
            mmioBus.write(w.address(), w.data().length, Bytes.toLong(w.data()));
            return false;
        }
        if (exit instanceof VmExit.MmioRead r) {
            kvmRun.completeMmioRead(traced(Bytes.fromLong(mmioBus.read(r.address(), r.length()), r.length())));
            return false;
        }
        if (exit instanceof VmExit.Hlt) {
            return true;
        }
        if (exit instanceof VmExit.Interrupted) {
            return false;                                    // a signal: just run again
        }
        throw failure(exit);
        // exercise:end ch07-kvm-run-loop
    }
    // end::run-loop[]

    /** With --trace-exits, shows what the VMM answered to a read. */
    private byte[] traced(byte[] answer) {
        if (trace != null) {
            trace.printf("    -> 0x%x%n", Bytes.toLong(answer));
        }
        return answer;
    }

    // tag::io-exit[]
    /** OUT: size bytes per access, count accesses (count > 1 for rep outs). */
    private void handleOut(VmExit.IoOut out) {
        // exercise:begin ch08-io-out "for each of count accesses, take size bytes of data (little-endian) and write them to the I/O bus at port"
        for (int i = 0; i < out.count(); i++) {
            long value = Bytes.toLong(out.data(), i * out.size(), out.size());
            ioBus.write(out.port(), out.size(), value);
        }
        // exercise:end ch08-io-out
    }

    /** IN: read from the bus and hand the bytes back through kvm_run. */
    private byte[] handleIn(VmExit.IoIn in) {
        byte[] data = new byte[in.size() * in.count()];
        for (int i = 0; i < in.count(); i++) {
            Bytes.put(data, i * in.size(), in.size(), ioBus.read(in.port(), in.size()));
        }
        return data;
    }
    // end::io-exit[]

    /** The exits that end a run with an error: one line with the reason and the registers. */
    private ExitFailure failure(VmExit exit) {
        String regs = registers();
        if (exit instanceof VmExit.Shutdown) {
            return new ExitFailure(exit, "guest triple-faulted (KVM_EXIT_SHUTDOWN): an exception it could not handle; " + regs);
        }
        if (exit instanceof VmExit.FailEntry f) {
            return new ExitFailure(exit, String.format("VM entry failed (KVM_EXIT_FAIL_ENTRY, hardware reason 0x%x): "
                    + "the CPU refused the register state; %s", f.hardwareReason(), regs));
        }
        if (exit instanceof VmExit.InternalError e) {
            return new ExitFailure(exit, "KVM internal error (KVM_EXIT_INTERNAL_ERROR, suberror " + e.suberror()
                    + suberror(e.suberror()) + "); " + regs);
        }
        return new ExitFailure(exit, "unexpected exit " + exit.reasonName() + "; " + regs);
    }

    private static String suberror(int s) {
        return switch (s) {
            case KvmRun.KVM_INTERNAL_ERROR_EMULATION -> ": instruction emulation failed";
            case KvmRun.KVM_INTERNAL_ERROR_SIMUL_EX -> ": exception while delivering an event";
            case KvmRun.KVM_INTERNAL_ERROR_DELIVERY_EV -> ": delivering an event failed";
            default -> "";
        };
    }

    private String registers() {
        try {
            Regs r = vcpu.getRegs();
            return r.summary();
        } catch (RuntimeException e) {
            return "registers unavailable";
        }
    }

    public ExitStats stats() {
        return stats;
    }
}
