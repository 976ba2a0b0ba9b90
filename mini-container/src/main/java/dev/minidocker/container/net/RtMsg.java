package dev.minidocker.container.net;

import java.nio.ByteBuffer;

/**
 * {@code struct rtmsg} (linux/rtnetlink.h), the fixed part of RTM_NEWROUTE, RTM_DELROUTE and
 * RTM_GETROUTE:
 * <pre>
 *   0  unsigned char rtm_family     AF_INET
 *   1  unsigned char rtm_dst_len    prefix length of the destination (0: the default route)
 *   2  unsigned char rtm_src_len
 *   3  unsigned char rtm_tos
 *   4  unsigned char rtm_table      RT_TABLE_MAIN
 *   5  unsigned char rtm_protocol   RTPROT_BOOT: added by a program, not by the kernel
 *   6  unsigned char rtm_scope      RT_SCOPE_UNIVERSE: reached through a gateway
 *   7  unsigned char rtm_type       RTN_UNICAST
 *   8  unsigned      rtm_flags
 * </pre>
 */
public record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope,
                    int type, int flags) {
    public static final int SIZE = 12;

    public void write(ByteBuffer b, int at) {
        b.put(at, (byte) family);
        b.put(at + 1, (byte) dstLength);
        b.put(at + 2, (byte) srcLength);
        b.put(at + 3, (byte) tos);
        b.put(at + 4, (byte) table);
        b.put(at + 5, (byte) protocol);
        b.put(at + 6, (byte) scope);
        b.put(at + 7, (byte) type);
        b.putInt(at + 8, flags);
    }

    public static RtMsg read(ByteBuffer b, int at) {
        return new RtMsg(Byte.toUnsignedInt(b.get(at)), Byte.toUnsignedInt(b.get(at + 1)),
                Byte.toUnsignedInt(b.get(at + 2)), Byte.toUnsignedInt(b.get(at + 3)),
                Byte.toUnsignedInt(b.get(at + 4)), Byte.toUnsignedInt(b.get(at + 5)),
                Byte.toUnsignedInt(b.get(at + 6)), Byte.toUnsignedInt(b.get(at + 7)), b.getInt(at + 8));
    }
}
