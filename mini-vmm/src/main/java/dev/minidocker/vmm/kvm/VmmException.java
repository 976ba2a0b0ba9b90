package dev.minidocker.vmm.kvm;

/**
 * The VMM could not go on: KVM is missing, refused a request, or the guest stopped in a way that
 * is not a clean end (triple fault, internal error, failed entry). The message is one line that
 * says what failed and, where it helps, what to do or the vCPU's registers.
 * {@link dev.minidocker.vmm.machine.ExitFailure} carries the exit that ended the run.
 */
public class VmmException extends RuntimeException {
    public VmmException(String message) {
        super(message);
    }

    public VmmException(String message, Throwable cause) {
        super(message, cause);
    }
}
