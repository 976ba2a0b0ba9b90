package dev.minidocker.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Constants of socket(2), bind(2) and setsockopt(2) for the sockets the runtime opens, from
 * sys/socket.h, linux/socket.h and linux/netlink.h (x86-64), and the one socket address it
 * builds: {@code struct sockaddr_nl}.
 */
public final class Sockets {
    // address families (linux/socket.h)
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int AF_BRIDGE = 7;

    // socket types and type flags (linux/net.h, fcntl.h)
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = Mman.O_CLOEXEC;

    /** Netlink protocol: routing and link configuration (rtnetlink(7)). */
    public static final int NETLINK_ROUTE = 0;

    // setsockopt(2) levels and options
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SOL_NETLINK = 270;
    /** Acknowledge with only the error code, not a copy of the request. */
    public static final int NETLINK_CAP_ACK = 10;
    /** Ask for extended acknowledgements: a failed request says why, in words. */
    public static final int NETLINK_EXT_ACK = 11;

    /** recv(2) flag: return the datagram's real length even when buf was too small. */
    public static final int MSG_TRUNC = 0x20;

    /** sizeof(struct sockaddr_nl): sa_family_t nl_family, unsigned short nl_pad, __u32 nl_pid, __u32 nl_groups. */
    public static final int SOCKADDR_NL_SIZE = 12;

    private Sockets() {
    }

    // tag::sockaddr-nl[]
    /**
     * A {@code struct sockaddr_nl}. Port id 0 means "the kernel" as a destination, and "pick one
     * for me" in bind(2); groups is a bit mask of multicast groups to listen to.
     */
    public static byte[] sockaddrNl(int portId, int groups) {
        ByteBuffer b = ByteBuffer.allocate(SOCKADDR_NL_SIZE).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) AF_NETLINK); // nl_family
        b.putShort(2, (short) 0);          // nl_pad
        b.putInt(4, portId);               // nl_pid
        b.putInt(8, groups);               // nl_groups
        return b.array();
    }
    // end::sockaddr-nl[]
}
