package dev.minidocker.vmm.machine;

import dev.minidocker.vmm.kvm.Regs;

/**
 * How a guest ended: with HLT (exit code 0), through the debug-exit port (its code) or by
 * resetting the machine (exit code 0; a booted Linux reboots or powers off this way), with the
 * vCPU's registers at that moment and the exit statistics.
 */
public record RunResult(End end, int exitCode, Regs regs, ExitStats stats) {
    public enum End { HLT, DEBUG_EXIT, RESET }
}
