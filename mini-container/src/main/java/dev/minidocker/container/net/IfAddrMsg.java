package dev.minidocker.container.net;

import java.nio.ByteBuffer;

/**
 * {@code struct ifaddrmsg} (linux/if_addr.h), the fixed part of RTM_NEWADDR and RTM_DELADDR:
 * <pre>
 *   0  __u8  ifa_family      AF_INET
 *   1  __u8  ifa_prefixlen   24 for a /24
 *   2  __u8  ifa_flags
 *   3  __u8  ifa_scope       RT_SCOPE_UNIVERSE
 *   4  __u32 ifa_index       the link the address belongs to
 * </pre>
 */
public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) {
    public static final int SIZE = 8;

    public void write(ByteBuffer b, int at) {
        b.put(at, (byte) family);
        b.put(at + 1, (byte) prefixLength);
        b.put(at + 2, (byte) flags);
        b.put(at + 3, (byte) scope);
        b.putInt(at + 4, index);
    }

    public static IfAddrMsg read(ByteBuffer b, int at) {
        return new IfAddrMsg(Byte.toUnsignedInt(b.get(at)), Byte.toUnsignedInt(b.get(at + 1)),
                Byte.toUnsignedInt(b.get(at + 2)), Byte.toUnsignedInt(b.get(at + 3)), b.getInt(at + 4));
    }
}
