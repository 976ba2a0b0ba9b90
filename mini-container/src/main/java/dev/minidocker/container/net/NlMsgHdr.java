package dev.minidocker.container.net;

import java.nio.ByteBuffer;

/**
 * {@code struct nlmsghdr} (linux/netlink.h), the header of every netlink message:
 * <pre>
 *   0  __u32 nlmsg_len     header + payload, in bytes
 *   4  __u16 nlmsg_type    RTM_NEWLINK, NLMSG_ERROR, ...
 *   6  __u16 nlmsg_flags   NLM_F_REQUEST | NLM_F_ACK | ...
 *   8  __u32 nlmsg_seq     chosen by the sender, echoed in the answer
 *  12  __u32 nlmsg_pid     the sender's port id (0: the kernel)
 * </pre>
 */
public record NlMsgHdr(int length, int type, int flags, int seq, int pid) {
    public static final int SIZE = 16; // NLMSG_HDRLEN

    public void write(ByteBuffer b, int at) {
        b.putInt(at, length);
        b.putShort(at + 4, (short) type);
        b.putShort(at + 6, (short) flags);
        b.putInt(at + 8, seq);
        b.putInt(at + 12, pid);
    }

    public static NlMsgHdr read(ByteBuffer b, int at) {
        return new NlMsgHdr(b.getInt(at), Short.toUnsignedInt(b.getShort(at + 4)),
                Short.toUnsignedInt(b.getShort(at + 6)), b.getInt(at + 8), b.getInt(at + 12));
    }
}
