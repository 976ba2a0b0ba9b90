package dev.minidocker.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyscallsTest {

    @Test
    void errnoNamesFollowTheManPages() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("ENOENT", Errno.name(2));
        assertEquals("EINVAL", Errno.name(22));
    }

    @Test
    void cloneFlagsAreDescribedByName() {
        assertEquals("CLONE_NEWUTS|CLONE_NEWPID", CloneFlags.describe(CloneFlags.CLONE_NEWUTS | CloneFlags.CLONE_NEWPID));
        assertEquals(0x04000000, CloneFlags.CLONE_NEWUTS);
    }

    @Test
    void makedevMatchesGlibcForCommonDevices() {
        assertEquals(0x103, Syscalls.makedev(1, 3));      // /dev/null
        assertEquals(0x500, Syscalls.makedev(5, 0));      // /dev/tty
        assertEquals(0x10000501L, Syscalls.makedev(5, 0x10001) & 0xffffffffL);
    }

    @Test
    void failedCallNamesCallErrnoAndPath() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> Syscalls.chdir("/nonexistent/mini-docker-test"));
        assertEquals("chdir", e.call());
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().startsWith("chdir(/nonexistent/mini-docker-test): ENOENT"), e.getMessage());
    }
}
