package dev.minidocker.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Loads libc once: our own {@link LibC} binding plus jnr-posix for the calls it already has
 * (fork-free spawning, waitpid, kill, pipes, execve).
 */
public final class Native {
    private static volatile LibC libc;
    private static volatile POSIX posix;

    private Native() {
    }

    public static LibC libc() {
        LibC l = libc;
        if (l == null) {
            synchronized (Native.class) {
                if (libc == null) {
                    libc = LibraryLoader.create(LibC.class).load("c");
                }
                l = libc;
            }
        }
        return l;
    }

    public static POSIX posix() {
        POSIX p = posix;
        if (p == null) {
            synchronized (Native.class) {
                if (posix == null) {
                    posix = POSIXFactory.getNativePOSIX();
                }
                p = posix;
            }
        }
        return p;
    }

    /**
     * Does once what would otherwise happen lazily: jnr-ffi starts a finalizer thread on its
     * first native allocation. A thread that has unshared its PID namespace cannot start
     * threads, so call this before unshare(CLONE_NEWPID).
     */
    public static void warmUp() {
        libc();
        jnr.ffi.Memory.allocateDirect(runtime(), 16);
        jnr.ffi.Memory.allocateTemporary(runtime(), jnr.ffi.NativeType.ADDRESS);
    }

    /** The errno left by the last call on this thread through {@link LibC}. */
    public static int lastErrno() {
        return Runtime.getRuntime(libc()).getLastError();
    }

    /** The jnr-ffi runtime, for allocating native memory and structs. */
    public static Runtime runtime() {
        return Runtime.getRuntime(libc());
    }
}
