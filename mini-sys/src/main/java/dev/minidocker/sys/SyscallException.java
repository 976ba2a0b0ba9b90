package dev.minidocker.sys;

/**
 * A system call failed. The message names the call, the errno (by its name, as the man pages
 * spell it) and what the call was about, for example {@code mount(/proc): EPERM (Operation not permitted)}.
 */
public final class SyscallException extends RuntimeException {
    private final String call;
    private final int errno;
    private final String detail;

    public SyscallException(String call, int errno, String detail) {
        super(call + (detail == null || detail.isEmpty() ? "" : "(" + detail + ")")
                + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")");
        this.call = call;
        this.errno = errno;
        this.detail = detail == null ? "" : detail;
    }

    /** What the call was about: a path, or an ioctl's request name such as {@code "KVM_SET_SREGS"}. */
    public String detail() {
        return detail;
    }

    /** The name of the failed call, e.g. {@code "mount"}. */
    public String call() {
        return call;
    }

    /** The errno value the kernel returned. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code "EPERM"}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
