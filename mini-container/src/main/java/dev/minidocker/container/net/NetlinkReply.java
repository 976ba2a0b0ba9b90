package dev.minidocker.container.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One message the kernel sent: its header and its payload (the family struct and attributes).
 * A recv(2) on a netlink socket returns several messages back to back, each padded to 4 bytes;
 * {@link #split} takes them apart.
 */
public record NetlinkReply(NlMsgHdr header, ByteBuffer payload) {

    /** The messages in the first n bytes of buf. */
    public static List<NetlinkReply> split(byte[] buf, int n) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n).order(ByteOrder.nativeOrder());
        List<NetlinkReply> out = new ArrayList<>();
        int at = 0;
        while (at + NlMsgHdr.SIZE <= n) {
            NlMsgHdr h = NlMsgHdr.read(b, at);
            if (h.length() < NlMsgHdr.SIZE || at + h.length() > n) {
                throw new IllegalStateException("truncated netlink message: length " + h.length() + " at " + at + " of " + n);
            }
            ByteBuffer payload = ByteBuffer.wrap(buf, at + NlMsgHdr.SIZE, h.length() - NlMsgHdr.SIZE).slice()
                    .order(ByteOrder.nativeOrder());
            out.add(new NetlinkReply(h, payload));
            at += Netlink.align(h.length());
        }
        return out;
    }

    /**
     * The payload of an NLMSG_ERROR is a {@code struct nlmsgerr}: {@code int error} (0 for an ACK,
     * else minus an errno) followed by the header of the request it answers.
     */
    public int error() {
        return payload.getInt(0);
    }

    /** The sequence number of the request an NLMSG_ERROR answers. */
    public int errorSeq() {
        return NlMsgHdr.read(payload, 4).seq();
    }

    /**
     * The kernel's explanation of a failure (NLMSGERR_ATTR_MSG), if it sent one: extended ACK
     * attributes follow the echoed request, or just its header when NLM_F_CAPPED is set.
     */
    public String extendedAckMessage() {
        if ((header.flags() & Netlink.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int echoed = (header.flags() & Netlink.NLM_F_CAPPED) != 0 ? NlMsgHdr.SIZE : NlMsgHdr.read(payload, 4).length();
        byte[] msg = attributes(4 + Netlink.align(echoed)).get(Netlink.NLMSGERR_ATTR_MSG);
        return msg == null ? null : string(msg);
    }

    /** The attributes that follow a fixed struct of the given size, by type (nested ones undecoded). */
    public Map<Integer, byte[]> attributes(int structSize) {
        return attributes(payload, structSize, payload.limit());
    }

    /** Attributes in b between from and to: the inverse of {@link NetlinkMessage#attr}. */
    public static Map<Integer, byte[]> attributes(ByteBuffer b, int from, int to) {
        Map<Integer, byte[]> attrs = new HashMap<>();
        int at = from;
        while (at + NetlinkMessage.RTA_HDRLEN <= to) {
            int len = Short.toUnsignedInt(b.getShort(at));
            int type = Short.toUnsignedInt(b.getShort(at + 2)) & 0x3fff; // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (len < NetlinkMessage.RTA_HDRLEN || at + len > to) {
                break;
            }
            byte[] value = new byte[len - NetlinkMessage.RTA_HDRLEN];
            b.get(at + NetlinkMessage.RTA_HDRLEN, value);
            attrs.putIfAbsent(type, value);
            at += Netlink.align(len);
        }
        return attrs;
    }

    /** The attributes inside a nested attribute's payload. */
    public static Map<Integer, byte[]> nested(byte[] value) {
        return attributes(ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()), 0, value.length);
    }

    /** A NUL-terminated string attribute. */
    public static String string(byte[] value) {
        int n = 0;
        while (n < value.length && value[n] != 0) {
            n++;
        }
        return new String(value, 0, n, StandardCharsets.US_ASCII);
    }

    /** A __u32 attribute in host byte order. */
    public static int u32(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt(0);
    }
}
