package dev.minidocker.vmm.machine;

import dev.minidocker.vmm.kvm.VmExit;
import dev.minidocker.vmm.kvm.VmmException;

/**
 * The run ended with an exit the VMM cannot go on from (a triple fault, a failed entry, a KVM
 * internal error). It keeps that exit, so a caller can explain it by what happened, not by
 * what the message says.
 */
public final class ExitFailure extends VmmException {
    private final transient VmExit exit;

    public ExitFailure(VmExit exit, String message) {
        super(message);
        this.exit = exit;
    }

    public VmExit exit() {
        return exit;
    }
}
