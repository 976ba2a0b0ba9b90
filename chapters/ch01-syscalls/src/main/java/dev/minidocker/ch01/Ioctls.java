package dev.minidocker.ch01;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** A harmless ioctl(2) to show how requests and errors travel: TCGETS on a non-terminal. */
final class Ioctls {
    /** TCGETS from asm-generic/ioctls.h: read the termios of a terminal. */
    static final long TCGETS = 0x5401;
    private static final int TERMIOS_SIZE = 60;

    private Ioctls() {
    }

    static String tcgetsOnDevNull() {
        int fd = Native.posix().open("/dev/null", 0, 0);
        try {
            Pointer termios = Memory.allocateDirect(Native.runtime(), TERMIOS_SIZE, true);
            Syscalls.ioctl(fd, TCGETS, termios, "TCGETS /dev/null");
            return "succeeded (unexpected)";
        } catch (SyscallException e) {
            return "SyscallException: " + e.getMessage();
        } finally {
            Native.posix().close(fd);
        }
    }
}
