package dev.minidocker.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SocketsTest {

    @Test
    void sockaddrNlIsTwelveBytesFamilyPadPidGroups() {
        byte[] a = Sockets.sockaddrNl(0x01020304, 0x10);
        assertEquals(12, a.length);
        // x86-64 is little-endian: AF_NETLINK (16) in the first two bytes
        assertArrayEquals(new byte[] {16, 0, 0, 0, 4, 3, 2, 1, 0x10, 0, 0, 0}, a);
    }

    @Test
    void constantsHaveTheKernelsValues() {
        assertEquals(16, Sockets.AF_NETLINK);
        assertEquals(3, Sockets.SOCK_RAW);
        assertEquals(0, Sockets.NETLINK_ROUTE);
        assertEquals(270, Sockets.SOL_NETLINK);
        assertEquals(11, Sockets.NETLINK_EXT_ACK);
        assertEquals(02000000, Sockets.SOCK_CLOEXEC);
    }

    @Test
    void aNetlinkRouteSocketOpensBindsAndTakesOptionsWithoutPrivileges() {
        int fd = Syscalls.socket(Sockets.AF_NETLINK, Sockets.SOCK_RAW | Sockets.SOCK_CLOEXEC, Sockets.NETLINK_ROUTE);
        try {
            assertTrue(fd > 2);
            Syscalls.bind(fd, Sockets.sockaddrNl(0, 0), "sockaddr_nl");
            Syscalls.setsockopt(fd, Sockets.SOL_NETLINK, Sockets.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
        } finally {
            Syscalls.close(fd);
        }
    }

    @Test
    void bindingTwiceFailsWithTheErrnoName() {
        int fd = Syscalls.socket(Sockets.AF_NETLINK, Sockets.SOCK_RAW | Sockets.SOCK_CLOEXEC, Sockets.NETLINK_ROUTE);
        try {
            Syscalls.bind(fd, Sockets.sockaddrNl(0, 0), "first");
            // a second bind to a different port id is refused
            SyscallException e = assertThrows(SyscallException.class,
                    () -> Syscalls.bind(fd, Sockets.sockaddrNl(12345, 0), "second"));
            assertEquals("bind", e.call());
            assertEquals("EINVAL", e.errnoName());
        } finally {
            Syscalls.close(fd);
        }
    }
}
