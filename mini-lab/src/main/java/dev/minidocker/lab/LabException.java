package dev.minidocker.lab;

/**
 * A failure of the lab itself (not of the command run inside it), with a one-line message that
 * says what failed and what to do.
 */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
