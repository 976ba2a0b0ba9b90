package dev.minidocker.sys;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Pseudo-terminals (pty(7)): open the multiplexer {@code ptmx} of a devpts instance to get a
 * master, unlock it and ask its number; the slave is {@code pts/N} of the same instance. The
 * ioctl numbers are those of {@code <asm-generic/ioctls.h>} on x86-64.
 */
public final class Pty {
    public static final long TIOCGPTN = 0x80045430L;   // _IOR('T', 0x30, unsigned int)
    public static final long TIOCSPTLCK = 0x40045431L; // _IOW('T', 0x31, int)
    public static final long TIOCSWINSZ = 0x5414;
    public static final long TIOCGWINSZ = 0x5413;
    public static final long TIOCSCTTY = 0x540E;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0400;
    public static final int O_CLOEXEC = 02000000;

    /** A master and its slave's number in the devpts instance it came from. */
    public record Master(int fd, int number) {
    }

    private Pty() {
    }

    /** Opens ptmx (e.g. ROOT/dev/pts/ptmx), unlocks the new pty and returns the master with its number. */
    public static Master open(String ptmx) {
        int fd = Syscalls.open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
        Pointer n = Memory.allocateDirect(Native.runtime(), 4, true);
        Syscalls.ioctl(fd, TIOCSPTLCK, n, "TIOCSPTLCK " + ptmx);  // *n == 0: unlock
        Syscalls.ioctl(fd, TIOCGPTN, n, "TIOCGPTN " + ptmx);
        return new Master(fd, n.getInt(0));
    }

    /** TIOCSWINSZ: struct winsize {rows, cols, xpixel, ypixel}, four unsigned shorts. */
    public static void setWindowSize(int fd, int rows, int cols) {
        Pointer ws = Memory.allocateDirect(Native.runtime(), 8, true);
        ws.putShort(0, (short) rows);
        ws.putShort(2, (short) cols);
        Syscalls.ioctl(fd, TIOCSWINSZ, ws, "TIOCSWINSZ");
    }

    /** TIOCGWINSZ: {rows, cols} of the terminal open on fd, or null if fd is not a terminal. */
    public static int[] windowSize(int fd) {
        Pointer ws = Memory.allocateDirect(Native.runtime(), 8, true);
        if (Native.libc().ioctl(fd, TIOCGWINSZ, ws) < 0) {
            return null;
        }
        return new int[] {Short.toUnsignedInt(ws.getShort(0)), Short.toUnsignedInt(ws.getShort(2))};
    }

    /** Whether fd is a terminal (isatty(3)). */
    public static boolean isTerminal(int fd) {
        return Native.libc().isatty(fd) == 1;
    }

    /** Makes the terminal open on fd this session's controlling terminal (after setsid). */
    public static void makeControlling(int fd) {
        Syscalls.ioctl(fd, TIOCSCTTY, 0L, "TIOCSCTTY");
    }
}
