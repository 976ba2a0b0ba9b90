package dev.minidocker.container.net;

/**
 * The rtnetlink constants mini uses, each named and valued as in its kernel header, so a reader
 * can look it up: linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h,
 * linux/veth.h and linux/if.h. {@code NetlinkLayoutTest} checks them against the headers.
 */
public final class Netlink {
    private Netlink() {
    }

    // linux/netlink.h: message types every netlink family shares
    public static final int NLMSG_ALIGNTO = 4;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    // linux/netlink.h: nlmsg_flags
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** For NEW requests: fail with EEXIST rather than change what exists. */
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** In an NLMSG_ERROR: extended-ack attributes follow the echoed header. */
    public static final int NLM_F_ACK_TLVS = 0x200;
    /** In an NLMSG_ERROR: the request was not echoed back (only its header). */
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLMSGERR_ATTR_MSG = 1;

    // linux/rtnetlink.h: message types of NETLINK_ROUTE
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;

    public static final int RTA_ALIGNTO = 4;
    // linux/rtnetlink.h: enum rtattr_type_t (attributes of an rtmsg)
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;
    // rtmsg fields
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;

    // linux/if_link.h: attributes of an ifinfomsg
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_PID = 19;
    public static final int IFLA_NET_NS_FD = 28;
    // linux/if_link.h: nested in IFLA_LINKINFO
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    // linux/veth.h: nested in IFLA_INFO_DATA of a veth
    public static final int VETH_INFO_PEER = 1;

    // linux/if_addr.h: attributes of an ifaddrmsg
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;

    // linux/if.h: interface flags
    public static final int IFF_UP = 0x1;
    /** linux/if.h: IFNAMSIZ, including the terminating NUL. */
    public static final int IFNAMSIZ = 16;

    /** The name of a message type, for error messages ("RTM_NEWLINK"). */
    public static String typeName(int type) {
        return switch (type) {
            case NLMSG_NOOP -> "NLMSG_NOOP";
            case NLMSG_ERROR -> "NLMSG_ERROR";
            case NLMSG_DONE -> "NLMSG_DONE";
            case NLMSG_OVERRUN -> "NLMSG_OVERRUN";
            case RTM_NEWLINK -> "RTM_NEWLINK";
            case RTM_DELLINK -> "RTM_DELLINK";
            case RTM_GETLINK -> "RTM_GETLINK";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_DELADDR -> "RTM_DELADDR";
            case RTM_GETADDR -> "RTM_GETADDR";
            case RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RTM_DELROUTE -> "RTM_DELROUTE";
            case RTM_GETROUTE -> "RTM_GETROUTE";
            default -> "netlink type " + type;
        };
    }

    /** NLMSG_ALIGN and RTA_ALIGN: round up to the next multiple of 4. */
    public static int align(int length) {
        return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }
}
