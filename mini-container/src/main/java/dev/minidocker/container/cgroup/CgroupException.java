package dev.minidocker.container.cgroup;

/**
 * A cgroup operation failed. The message is one line that names what failed and says what to
 * do about it, ready to print as-is.
 */
public final class CgroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
