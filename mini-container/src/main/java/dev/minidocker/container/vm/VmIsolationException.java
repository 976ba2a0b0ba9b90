package dev.minidocker.container.vm;

/** Why a VM-isolated container could not run (exit status 125): one line, with what to do. */
public final class VmIsolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VmIsolationException(String message) {
        super(message);
    }
}
