package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Prctl;
import dev.minidocker.sys.Syscalls;

/**
 * The default filter, loaded for real on a thread of its own (a filter is per thread; the thread
 * ends with the test, its filter with it), answers the calls busybox has no applet for.
 */
class DefaultFilterOnAThreadTest {
    // x86-64 numbers (asm/unistd_64.h) and clone flags
    private static final long SYS_keyctl = 250, SYS_add_key = 248, SYS_request_key = 249, SYS_unshare = 272,
            SYS_clone3 = 435, SYS_personality = 135, SYS_getppid = 110, SYS_socket = 41;
    private static final long KEYCTL_GET_KEYRING_ID = 0, KEY_SPEC_SESSION_KEYRING = -3;
    private static final long ADDR_NO_RANDOMIZE = 0x0040000, AF_VSOCK = 40, AF_UNIX = 1, SOCK_STREAM = 1;

    @Test
    void keyringsNamespacesAndPersonalitiesAreRefused() {
        Map<String, Integer> errnos = new LinkedHashMap<>();
        AtomicReference<Long> personality = new AtomicReference<>();
        Thread t = new Thread(() -> {
            // no_new_privs first: then loading a filter needs no privilege, so this test needs no root
            Syscalls.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, "PR_SET_NO_NEW_PRIVS");
            SeccompFilter.load(DefaultSeccompProfile.forCapabilities(SpecDefaults.CAPABILITIES));
            errnos.put("keyctl", errno(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
            errnos.put("add_key", errno(SYS_add_key, 0, 0, 0));
            errnos.put("request_key", errno(SYS_request_key, 0, 0, 0));
            errnos.put("unshare", errno(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */, 0, 0));
            errnos.put("clone3", errno(SYS_clone3, 0, 0, 0));
            errnos.put("personality(ADDR_NO_RANDOMIZE)", errno(SYS_personality, ADDR_NO_RANDOMIZE, 0, 0));
            errnos.put("socket(AF_VSOCK)", errno(SYS_socket, AF_VSOCK, SOCK_STREAM, 0));
            personality.set(Native.libc().syscall(SYS_personality, 0xffffffffL, 0, 0)); // only asks: allowed
            errnos.put("getppid", errno(SYS_getppid, 0, 0, 0));
            long fd = Native.libc().syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
            errnos.put("socket(AF_UNIX)", fd >= 0 ? 0 : Native.lastErrno());
            if (fd >= 0) {
                Native.libc().close((int) fd);
            }
        });
        t.start();
        join(t);
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("keyctl", Errno.EPERM);
        expected.put("add_key", Errno.EPERM);
        expected.put("request_key", Errno.EPERM);
        expected.put("unshare", Errno.EPERM);
        expected.put("clone3", Errno.ENOSYS);       // so that libc falls back to clone, which the filter can check
        expected.put("personality(ADDR_NO_RANDOMIZE)", Errno.EPERM);
        expected.put("socket(AF_VSOCK)", Errno.EPERM);
        expected.put("getppid", 0);
        expected.put("socket(AF_UNIX)", 0);
        assertEquals(expected, errnos);
        assertEquals(true, personality.get() >= 0, "personality(0xffffffff) refused");
    }

    /** errno of a raw system call, 0 if it succeeded. */
    private static int errno(long nr, long a, long b, long c) {
        long r = Native.libc().syscall(nr, a, b, c);
        return r == -1 ? Native.lastErrno() : 0;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
