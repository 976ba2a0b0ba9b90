package dev.minidocker.container.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * A netlink request being laid out: an {@link NlMsgHdr}, the family's fixed struct, then
 * attributes. Each attribute is a {@code struct rtattr} (linux/rtnetlink.h):
 * <pre>
 *   0  unsigned short rta_len    header + payload, unpadded
 *   2  unsigned short rta_type   IFLA_IFNAME, IFA_LOCAL, ...
 *   4  payload, then padding up to a multiple of 4 (RTA_ALIGN)
 * </pre>
 * A nested attribute is one whose payload is more attributes; its length is known only when it
 * is closed, so {@link #beginNest} remembers where its header is and {@link #endNest} fills it in.
 * Integers are in the host's byte order, except where a protocol says otherwise (IPv4 addresses
 * are bytes in network order).
 */
public final class NetlinkMessage {
    public static final int RTA_HDRLEN = 4;

    private final int type;
    private final int flags;
    private ByteBuffer buf = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    private int length = NlMsgHdr.SIZE;
    private final Deque<Integer> openNests = new ArrayDeque<>();

    private NetlinkMessage(int type, int flags) {
        this.type = type;
        this.flags = flags;
    }

    /** A message of this type (RTM_NEWLINK, ...) with these NLM_F_* flags besides REQUEST and ACK. */
    public static NetlinkMessage of(int type, int flags) {
        return new NetlinkMessage(type, flags);
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public NetlinkMessage ifinfomsg(IfInfoMsg m) {
        m.write(reserve(IfInfoMsg.SIZE), length - IfInfoMsg.SIZE);
        return this;
    }

    public NetlinkMessage ifaddrmsg(IfAddrMsg m) {
        m.write(reserve(IfAddrMsg.SIZE), length - IfAddrMsg.SIZE);
        return this;
    }

    public NetlinkMessage rtmsg(RtMsg m) {
        m.write(reserve(RtMsg.SIZE), length - RtMsg.SIZE);
        return this;
    }

    // tag::rtattr[]
    /** An attribute: rta_len, rta_type, the payload, padding to 4 bytes. */
    public NetlinkMessage attr(int attrType, byte[] payload) {
        int at = length;
        reserve(Netlink.align(RTA_HDRLEN + payload.length));
        // exercise:begin ch14-rtattr "write struct rtattr at 'at': rta_len (a short: RTA_HDRLEN + payload.length, no padding) at 0, rta_type (a short) at 2, then the payload at RTA_HDRLEN; reserve() already made room for the padding"
        buf.putShort(at, (short) (RTA_HDRLEN + payload.length)); // rta_len counts no padding
        buf.putShort(at + 2, (short) attrType);
        buf.put(at + RTA_HDRLEN, payload);
        // exercise:end ch14-rtattr
        return this;
    }
    // end::rtattr[]

    /** A {@code __u32} attribute, e.g. IFLA_MASTER or IFLA_NET_NS_FD. */
    public NetlinkMessage attrU32(int attrType, int value) {
        return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array());
    }

    /** A string attribute: the kernel expects it NUL-terminated (IFLA_IFNAME, IFLA_INFO_KIND). */
    public NetlinkMessage attrString(int attrType, String value) {
        byte[] s = value.getBytes(StandardCharsets.US_ASCII);
        return attr(attrType, Arrays.copyOf(s, s.length + 1));
    }

    // tag::nest[]
    /** Opens an attribute whose payload is what follows, up to the matching {@link #endNest}. */
    public NetlinkMessage beginNest(int attrType) {
        openNests.push(length);
        reserve(RTA_HDRLEN);
        buf.putShort(length - RTA_HDRLEN + 2, (short) attrType);
        return this;
    }

    /** Closes the innermost nest: its rta_len now covers everything added since it began. */
    public NetlinkMessage endNest() {
        int at = openNests.pop();
        buf.putShort(at, (short) (length - at));
        return this;
    }
    // end::nest[]

    /** The bytes to send: the header gets the total length, all the flags and the sequence number. */
    public byte[] toBytes(int extraFlags, int seq) {
        if (!openNests.isEmpty()) {
            throw new IllegalStateException("netlink message has an unclosed nested attribute");
        }
        new NlMsgHdr(length, type, flags | extraFlags, seq, 0).write(buf, 0);
        return Arrays.copyOf(buf.array(), length);
    }

    private ByteBuffer reserve(int n) {
        if (length + n > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, length + n)).order(ByteOrder.nativeOrder());
            bigger.put(0, buf, 0, length);
            buf = bigger;
        }
        length += n;
        return buf;
    }
}
