package dev.minidocker.container.runtime;

/** A container could not be created or started; carries the exit code docker would report. */
public final class ContainerException extends RuntimeException {
    private final int exitCode;

    public ContainerException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
