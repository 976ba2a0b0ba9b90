package dev.minidocker.container.net;

import java.nio.ByteBuffer;

/**
 * {@code struct ifinfomsg} (linux/rtnetlink.h), the fixed part of RTM_NEWLINK, RTM_DELLINK and
 * RTM_GETLINK:
 * <pre>
 *   0  unsigned char  ifi_family   AF_UNSPEC
 *   1  unsigned char  __ifi_pad
 *   2  unsigned short ifi_type     ARPHRD_* (set by the kernel)
 *   4  int            ifi_index    the link's index, 0 for a new link or a lookup by name
 *   8  unsigned       ifi_flags    IFF_UP, ...
 *  12  unsigned       ifi_change   which bits of ifi_flags to change
 * </pre>
 */
public record IfInfoMsg(int family, int type, int index, int flags, int change) {
    public static final int SIZE = 16;

    public void write(ByteBuffer b, int at) {
        b.put(at, (byte) family);
        b.put(at + 1, (byte) 0);
        b.putShort(at + 2, (short) type);
        b.putInt(at + 4, index);
        b.putInt(at + 8, flags);
        b.putInt(at + 12, change);
    }

    public static IfInfoMsg read(ByteBuffer b, int at) {
        return new IfInfoMsg(Byte.toUnsignedInt(b.get(at)), Short.toUnsignedInt(b.getShort(at + 2)),
                b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 12));
    }
}
