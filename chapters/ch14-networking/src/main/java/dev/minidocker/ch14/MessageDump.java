package dev.minidocker.ch14;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.net.IfAddrMsg;
import dev.minidocker.container.net.IfInfoMsg;
import dev.minidocker.container.net.Netlink;
import dev.minidocker.container.net.NetlinkMessage;
import dev.minidocker.container.net.NlMsgHdr;
import dev.minidocker.container.net.RtMsg;
import dev.minidocker.container.net.Subnet;

/**
 * Reads a request's bytes back the way the kernel will: the nlmsghdr, the family's fixed struct,
 * then every rtattr with its length and type, nested ones indented. This is the chapter's
 * {@code strace}: what the VMM chapters show for an ioctl, this shows for a netlink message.
 */
public final class MessageDump {
    private MessageDump() {
    }

    /** Where an attribute sits decides what its type number means (IFLA_*, IFA_*, RTA_*, ...). */
    private enum Space { LINK, LINKINFO, VETH, PEER, ADDR, ROUTE }

    /** The bytes as they are sent (REQUEST and ACK added, sequence number 1). */
    public static byte[] bytes(NetlinkMessage m) {
        return m.toBytes(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 1);
    }

    public static List<String> describe(NetlinkMessage m) {
        ByteBuffer b = ByteBuffer.wrap(bytes(m)).order(ByteOrder.nativeOrder());
        NlMsgHdr h = NlMsgHdr.read(b, 0);
        List<String> out = new ArrayList<>();
        out.add("nlmsghdr { len " + h.length() + ", type " + Netlink.typeName(h.type()) + ", flags " + flags(h.flags())
                + ", seq " + h.seq() + " }");
        int at = NlMsgHdr.SIZE;
        Space space;
        switch (h.type()) {
            case Netlink.RTM_NEWLINK, Netlink.RTM_DELLINK, Netlink.RTM_GETLINK -> {
                out.add("  " + ifinfomsg(IfInfoMsg.read(b, at)));
                at += IfInfoMsg.SIZE;
                space = Space.LINK;
            }
            case Netlink.RTM_NEWADDR -> {
                IfAddrMsg a = IfAddrMsg.read(b, at);
                out.add("  ifaddrmsg { family " + family(a.family()) + ", prefixlen " + a.prefixLength() + ", scope "
                        + a.scope() + ", index " + a.index() + " }");
                at += IfAddrMsg.SIZE;
                space = Space.ADDR;
            }
            case Netlink.RTM_NEWROUTE -> {
                RtMsg r = RtMsg.read(b, at);
                out.add("  rtmsg { family " + family(r.family()) + ", dst_len " + r.dstLength() + ", table "
                        + (r.table() == Netlink.RT_TABLE_MAIN ? "RT_TABLE_MAIN" : r.table())
                        + ", protocol " + (r.protocol() == Netlink.RTPROT_BOOT ? "RTPROT_BOOT" : r.protocol())
                        + ", scope " + (r.scope() == Netlink.RT_SCOPE_UNIVERSE ? "RT_SCOPE_UNIVERSE" : r.scope())
                        + ", type " + (r.type() == Netlink.RTN_UNICAST ? "RTN_UNICAST" : r.type()) + " }");
                at += RtMsg.SIZE;
                space = Space.ROUTE;
            }
            default -> throw new IllegalArgumentException("no dump for " + Netlink.typeName(h.type()));
        }
        attributes(b, at, h.length(), space, "  ", out);
        return out;
    }

    /** The message as hex, 16 bytes a line, for one look at what really goes over the socket. */
    public static List<String> hex(NetlinkMessage m) {
        byte[] bytes = bytes(m);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 16) {
            StringBuilder s = new StringBuilder(String.format("%04x ", i));
            for (int j = i; j < Math.min(i + 16, bytes.length); j++) {
                s.append(j % 4 == 0 ? "  " : " ").append(String.format("%02x", bytes[j]));
            }
            lines.add(s.toString());
        }
        return lines;
    }

    private static void attributes(ByteBuffer b, int at, int end, Space space, String indent, List<String> out) {
        while (at + NetlinkMessage.RTA_HDRLEN <= end) {
            int len = Short.toUnsignedInt(b.getShort(at));
            int type = Short.toUnsignedInt(b.getShort(at + 2));
            if (len < NetlinkMessage.RTA_HDRLEN || at + len > end) {
                out.add(indent + "rtattr with a bad length " + len + " at offset " + at);
                return;
            }
            int payload = at + NetlinkMessage.RTA_HDRLEN;
            int payloadEnd = at + len;
            String head = indent + "rtattr { len " + len + ", type " + name(space, type) + " }";
            Space inner = nested(space, type);
            if (inner == null) {
                out.add(head + " " + value(b, payload, payloadEnd, space, type));
            } else {
                out.add(head + " nested:");
                int first = payload;
                if (inner == Space.PEER) {           // a veth peer starts with its own ifinfomsg
                    out.add(indent + "  " + ifinfomsg(IfInfoMsg.read(b, payload)));
                    first += IfInfoMsg.SIZE;
                }
                attributes(b, first, payloadEnd, inner == Space.PEER ? Space.LINK : inner, indent + "  ", out);
            }
            at += Netlink.align(len);
        }
    }

    private static Space nested(Space space, int type) {
        if (space == Space.LINK && type == Netlink.IFLA_LINKINFO) {
            return Space.LINKINFO;
        }
        if (space == Space.LINKINFO && type == Netlink.IFLA_INFO_DATA) {
            return Space.VETH;
        }
        if (space == Space.VETH && type == Netlink.VETH_INFO_PEER) {
            return Space.PEER;
        }
        return null;
    }

    private static String name(Space space, int type) {
        String n = switch (space) {
            case LINK -> switch (type) {
                case Netlink.IFLA_IFNAME -> "IFLA_IFNAME";
                case Netlink.IFLA_MASTER -> "IFLA_MASTER";
                case Netlink.IFLA_LINKINFO -> "IFLA_LINKINFO";
                case Netlink.IFLA_NET_NS_FD -> "IFLA_NET_NS_FD";
                default -> null;
            };
            case LINKINFO -> switch (type) {
                case Netlink.IFLA_INFO_KIND -> "IFLA_INFO_KIND";
                case Netlink.IFLA_INFO_DATA -> "IFLA_INFO_DATA";
                default -> null;
            };
            case VETH -> type == Netlink.VETH_INFO_PEER ? "VETH_INFO_PEER" : null;
            case ADDR -> switch (type) {
                case Netlink.IFA_ADDRESS -> "IFA_ADDRESS";
                case Netlink.IFA_LOCAL -> "IFA_LOCAL";
                default -> null;
            };
            case ROUTE -> switch (type) {
                case Netlink.RTA_GATEWAY -> "RTA_GATEWAY";
                case Netlink.RTA_DST -> "RTA_DST";
                case Netlink.RTA_OIF -> "RTA_OIF";
                default -> null;
            };
            case PEER -> null;
        };
        return n == null ? String.valueOf(type) : n + " (" + type + ")";
    }

    private static String value(ByteBuffer b, int from, int to, Space space, int type) {
        byte[] v = new byte[to - from];
        b.get(from, v);
        boolean string = (space == Space.LINK && type == Netlink.IFLA_IFNAME)
                || (space == Space.LINKINFO && type == Netlink.IFLA_INFO_KIND);
        if (string) {
            int n = v.length > 0 && v[v.length - 1] == 0 ? v.length - 1 : v.length;
            return "\"" + new String(v, 0, n, StandardCharsets.US_ASCII) + "\"" + (n < v.length ? " + NUL" : "");
        }
        if (space == Space.ADDR || (space == Space.ROUTE && type != Netlink.RTA_OIF)) {
            return v.length == 4 ? Subnet.format(Subnet.fromBytes(v)) : v.length + " bytes";
        }
        return v.length == 4 ? String.valueOf(ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt()) : v.length + " bytes";
    }

    private static String ifinfomsg(IfInfoMsg m) {
        return "ifinfomsg { family " + family(m.family()) + ", index " + m.index() + ", flags " + ifflags(m.flags())
                + ", change " + ifflags(m.change()) + " }";
    }

    private static String ifflags(int f) {
        return f == Netlink.IFF_UP ? "IFF_UP" : f == 0 ? "0" : "0x" + Integer.toHexString(f);
    }

    private static String family(int f) {
        return switch (f) {
            case 0 -> "AF_UNSPEC";
            case 2 -> "AF_INET";
            default -> String.valueOf(f);
        };
    }

    /** NLM_F_EXCL and NLM_F_MATCH share a bit: in a NEW request it means EXCL. */
    static String flags(int f) {
        List<String> names = new ArrayList<>();
        if ((f & Netlink.NLM_F_REQUEST) != 0) {
            names.add("NLM_F_REQUEST");
        }
        if ((f & Netlink.NLM_F_ACK) != 0) {
            names.add("NLM_F_ACK");
        }
        if ((f & Netlink.NLM_F_EXCL) != 0) {
            names.add("NLM_F_EXCL");
        }
        if ((f & Netlink.NLM_F_CREATE) != 0) {
            names.add("NLM_F_CREATE");
        }
        return String.join("|", names);
    }
}
