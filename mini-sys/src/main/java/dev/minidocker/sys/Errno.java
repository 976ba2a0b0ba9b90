package dev.minidocker.sys;

/** errno values by the names the man pages use. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOEXEC = 8;
    public static final int ENODEV = 19;
    public static final int ENOSYS = 38;
    public static final int ENAMETOOLONG = 36;
    public static final int ENODATA = 61;
    public static final int EADDRINUSE = 98;

    private Errno() {
    }

    /** The symbolic name, such as {@code EPERM}, or {@code errno N} if unknown. */
    public static String name(int errno) {
        jnr.constants.platform.Errno e = jnr.constants.platform.Errno.valueOf(errno);
        return e == jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name();
    }

    /** The text strerror(3) gives. */
    public static String description(int errno) {
        jnr.constants.platform.Errno e = jnr.constants.platform.Errno.valueOf(errno);
        return e == jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__ ? "unknown error" : e.description();
    }
}
