package dev.minidocker.ch01;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

class TalkingToTheKernelTest {

    @Test
    void getpidThroughLibcIsTheJvmsPid() {
        assertEquals(ProcessHandle.current().pid(), Native.posix().getpid());
    }

    @Test
    void failedMountNamesTheCallTheErrnoAndThePath() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> Syscalls.mount("tmpfs", "/nonexistent/ch01-test", "tmpfs", 0, null));
        assertEquals("mount", e.call());
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().startsWith("mount(/nonexistent/ch01-test, tmpfs): ENOENT"), e.getMessage());
    }

    @Test
    void pivotRootThroughTheRawSystemCallReachesTheKernel() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> Syscalls.pivotRoot("/nonexistent/new", "/nonexistent/old"));
        assertEquals("pivot_root", e.call());
        assertEquals("ENOENT", e.errnoName());
    }

    @Test
    void ioctlOnTheWrongDeviceIsEnotty() {
        assertEquals("SyscallException: ioctl(TCGETS /dev/null): ENOTTY (Inappropriate ioctl for device)",
                Ioctls.tcgetsOnDevNull());
    }

    @Test
    void successfulCallsReturnTheKernelsValue() {
        assertEquals(7L, Syscalls.check("test", 7, null));
        assertEquals(0L, Syscalls.check("test", 0, null));
    }
}
