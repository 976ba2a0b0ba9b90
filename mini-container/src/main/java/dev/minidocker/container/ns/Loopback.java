package dev.minidocker.container.ns;

import java.nio.charset.StandardCharsets;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.Sockets;
import dev.minidocker.sys.Syscalls;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A new network namespace has only a loopback device, and it is down. This brings it up, the
 * way {@code ip link set lo up} does: SIOCGIFFLAGS, set IFF_UP, SIOCSIFFLAGS (netdevice(7)).
 */
public final class Loopback {
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    /** struct ifreq: char ifr_name[16]; then a union whose first member is short ifr_flags. */
    private static final int IFREQ_SIZE = 40;
    private static final int IFR_FLAGS_OFFSET = 16;

    private Loopback() {
    }

    public static void up() {
        int sock = Syscalls.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
        try {
            Pointer ifr = Memory.allocateDirect(Native.runtime(), IFREQ_SIZE, true);
            byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
            ifr.put(0, name, 0, name.length);
            Syscalls.ioctl(sock, SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS lo");
            short flags = ifr.getShort(IFR_FLAGS_OFFSET);
            ifr.putShort(IFR_FLAGS_OFFSET, (short) (flags | IFF_UP));
            Syscalls.ioctl(sock, SIOCSIFFLAGS, ifr, "SIOCSIFFLAGS lo up");
        } finally {
            Syscalls.close(sock);
        }
    }
}
