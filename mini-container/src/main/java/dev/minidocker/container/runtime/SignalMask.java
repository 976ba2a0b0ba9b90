package dev.minidocker.container.runtime;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The signal mask and ignored signals survive execve(2) (signal(7)): the command must not
 * inherit what the JVM blocked or ignored.
 */
final class SignalMask {
    private static final int SIG_SETMASK = 2;
    private static final int SIGSET_BYTES = 128; // glibc's sigset_t

    private SignalMask() {
    }

    static void clear() {
        for (int sig = 1; sig < 65; sig++) {
            if (sig != 9 && sig != 19 && (sig < 32 || sig > 34)) { // KILL, STOP; glibc keeps 32-34
                Native.libc().signal(sig, 0 /* SIG_DFL */);
            }
        }
        Pointer empty = Memory.allocateDirect(Native.runtime(), SIGSET_BYTES, true);
        Syscalls.check("sigprocmask", Native.libc().sigprocmask(SIG_SETMASK, empty, null), "SIG_SETMASK, empty");
    }
}
