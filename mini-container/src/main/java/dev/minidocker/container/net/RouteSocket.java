package dev.minidocker.container.net;

import java.util.ArrayList;
import java.util.List;

import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Sockets;
import dev.minidocker.sys.Syscalls;

/**
 * A NETLINK_ROUTE socket (rtnetlink(7)): requests go to the kernel as datagrams, answers come back
 * the same way. Every request carries NLM_F_ACK, so the kernel answers each with an NLMSG_ERROR
 * whose error is 0 (done) or minus an errno, which becomes a {@link SyscallException}.
 *
 * <p>A socket belongs to the network namespace of the thread that opened it and keeps talking to
 * that namespace whichever thread uses it later: open one inside a container's namespace
 * ({@link NetNamespace#openRouteSocket}) to configure the links there.
 */
public final class RouteSocket implements AutoCloseable {
    private static final byte[] KERNEL = Sockets.sockaddrNl(0, 0);
    /** Large enough for any single datagram of a dump (the kernel fills about 32 KiB at most). */
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private final int fd;
    private int seq;

    private RouteSocket(int fd) {
        this.fd = fd;
    }

    // tag::open[]
    /** socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE), bound to a port id the kernel picks. */
    public static RouteSocket open() {
        int fd = Syscalls.socket(Sockets.AF_NETLINK, Sockets.SOCK_RAW | Sockets.SOCK_CLOEXEC, Sockets.NETLINK_ROUTE);
        try {
            Syscalls.bind(fd, Sockets.sockaddrNl(0, 0), "AF_NETLINK, NETLINK_ROUTE");
            // failures come with the kernel's reason in words; no copy of our request in the answer
            Syscalls.setsockopt(fd, Sockets.SOL_NETLINK, Sockets.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            Syscalls.setsockopt(fd, Sockets.SOL_NETLINK, Sockets.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
        } catch (RuntimeException e) {
            Syscalls.close(fd);
            throw e;
        }
        return new RouteSocket(fd);
    }
    // end::open[]

    // tag::request[]
    /**
     * Sends a request and waits for its ACK; returns the messages that came before it (the
     * answer of a GET). {@code what} names the object in an error, e.g. "veth0 master mini0".
     */
    public List<NetlinkReply> request(NetlinkMessage m, String what) {
        int mySeq = send(m, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
        List<NetlinkReply> answer = new ArrayList<>();
        while (true) {
            for (NetlinkReply r : receive()) {
                if (r.header().seq() != mySeq) {
                    continue; // a late answer to an earlier request
                }
                if (r.header().type() == Netlink.NLMSG_ERROR) {
                    if (r.error() != 0) {
                        throw failure(m, r, what);
                    }
                    return answer;   // error 0: the ACK
                }
                answer.add(r);
            }
        }
    }
    // end::request[]

    /** Sends a GET with NLM_F_DUMP and collects every object until NLMSG_DONE. */
    public List<NetlinkReply> dump(NetlinkMessage m, String what) {
        int mySeq = send(m, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        List<NetlinkReply> all = new ArrayList<>();
        while (true) {
            for (NetlinkReply r : receive()) {
                if (r.header().seq() != mySeq) {
                    continue;
                }
                switch (r.header().type()) {
                    case Netlink.NLMSG_DONE -> {
                        return all;
                    }
                    case Netlink.NLMSG_ERROR -> throw failure(m, r, what);
                    default -> all.add(r);
                }
            }
        }
    }

    private int send(NetlinkMessage m, int flags) {
        int mySeq = ++seq;
        byte[] bytes = m.toBytes(flags, mySeq);
        Syscalls.sendto(fd, bytes, bytes.length, KERNEL, Netlink.typeName(m.type()));
        return mySeq;
    }

    private List<NetlinkReply> receive() {
        byte[] buf = new byte[RECEIVE_BUFFER];
        int n = Syscalls.recv(fd, buf, Sockets.MSG_TRUNC, "NETLINK_ROUTE");
        if (n > buf.length) {
            throw new IllegalStateException("netlink answer of " + n + " bytes did not fit in " + buf.length);
        }
        return NetlinkReply.split(buf, n);
    }

    /** "RTM_NEWLINK(mini0: kernel says ...): EEXIST (File exists)". */
    private static SyscallException failure(NetlinkMessage m, NetlinkReply r, String what) {
        String why = r.extendedAckMessage();
        return new SyscallException(Netlink.typeName(m.type()), -r.error(),
                why == null || why.isEmpty() ? what : what + ": " + why);
    }

    @Override
    public void close() {
        Syscalls.close(fd);
    }
}
