package dev.minidocker.container.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Sockets;
import dev.minidocker.sys.SyscallException;

/**
 * The link, address and route operations of {@code ip link}, {@code ip addr} and {@code ip route},
 * each one rtnetlink message (rtnetlink(7)), sent on a {@link RouteSocket} of the namespace they
 * are about.
 */
public final class Rtnetlink {
    private final RouteSocket socket;

    public Rtnetlink(RouteSocket socket) {
        this.socket = socket;
    }

    private static final IfInfoMsg ANY_LINK = new IfInfoMsg(Sockets.AF_UNSPEC, 0, 0, 0, 0);

    // Each operation is a message built by a static method (so a reader, the book and the chapter's
    // demo can look at the request without sending it) and sent by the instance method beside it.

    // tag::create-bridge[]
    /** {@code ip link add NAME type bridge}: RTM_NEWLINK with IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }. */
    public static NetlinkMessage newBridge(String name) {
        return NetlinkMessage.of(Netlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .ifinfomsg(ANY_LINK)
                .attrString(Netlink.IFLA_IFNAME, checkName(name))
                .beginNest(Netlink.IFLA_LINKINFO)
                    .attrString(Netlink.IFLA_INFO_KIND, "bridge")
                .endNest();
    }
    // end::create-bridge[]

    public void createBridge(String name) {
        socket.request(newBridge(name), name + " type bridge");
    }

    // tag::create-veth[]
    /**
     * {@code ip link add NAME type veth peer name PEER}: a pair of links joined like the two ends
     * of a cable. The peer is described inside the request as a second ifinfomsg and its attributes.
     */
    public static NetlinkMessage newVethPair(String name, String peer) {
        NetlinkMessage m = NetlinkMessage.of(Netlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .ifinfomsg(ANY_LINK)
                .attrString(Netlink.IFLA_IFNAME, checkName(name))
                .beginNest(Netlink.IFLA_LINKINFO)
                    .attrString(Netlink.IFLA_INFO_KIND, "veth");
        // exercise:begin ch14-veth-peer "inside IFLA_LINKINFO: a nest IFLA_INFO_DATA holding a nest VETH_INFO_PEER, whose payload is the peer's own ifinfomsg (ANY_LINK) and its IFLA_IFNAME (checkName(peer)); close both nests"
        m.beginNest(Netlink.IFLA_INFO_DATA)
                .beginNest(Netlink.VETH_INFO_PEER)
                    .ifinfomsg(ANY_LINK)
                    .attrString(Netlink.IFLA_IFNAME, checkName(peer))
                .endNest()
            .endNest();
        // exercise:end ch14-veth-peer
        return m.endNest();
    }
    // end::create-veth[]

    public void createVethPair(String name, String peer) {
        socket.request(newVethPair(name, peer), name + " type veth peer " + peer);
    }

    // tag::set-netns[]
    /** {@code ip link set NAME netns NS}: the link leaves this namespace for the one nsFd refers to. */
    public static NetlinkMessage setNamespace(int index, int nsFd) {
        return NetlinkMessage.of(Netlink.RTM_NEWLINK, 0)
                .ifinfomsg(new IfInfoMsg(Sockets.AF_UNSPEC, 0, index, 0, 0))
                .attrU32(Netlink.IFLA_NET_NS_FD, nsFd);
    }
    // end::set-netns[]

    public void moveToNamespace(int index, int nsFd) {
        socket.request(setNamespace(index, nsFd), "link " + index + " netns fd " + nsFd);
    }

    /** {@code ip link set NAME name NEW} (the link must be down). */
    public static NetlinkMessage setName(int index, String newName) {
        return NetlinkMessage.of(Netlink.RTM_NEWLINK, 0)
                .ifinfomsg(new IfInfoMsg(Sockets.AF_UNSPEC, 0, index, 0, 0))
                .attrString(Netlink.IFLA_IFNAME, checkName(newName));
    }

    public void rename(int index, String newName) {
        socket.request(setName(index, newName), "link " + index + " name " + newName);
    }

    // tag::set-up[]
    /** {@code ip link set NAME up}: set IFF_UP, and change only that bit (ifi_change). */
    public static NetlinkMessage setUpMessage(int index) {
        return NetlinkMessage.of(Netlink.RTM_NEWLINK, 0)
                .ifinfomsg(new IfInfoMsg(Sockets.AF_UNSPEC, 0, index, Netlink.IFF_UP, Netlink.IFF_UP));
    }
    // end::set-up[]

    public void setUp(int index) {
        socket.request(setUpMessage(index), "link " + index + " up");
    }

    // tag::set-master[]
    /** {@code ip link set NAME master BRIDGE}: plug the link into a bridge. */
    public static NetlinkMessage setMasterMessage(int index, int bridgeIndex) {
        return NetlinkMessage.of(Netlink.RTM_NEWLINK, 0)
                .ifinfomsg(new IfInfoMsg(Sockets.AF_UNSPEC, 0, index, 0, 0))
                .attrU32(Netlink.IFLA_MASTER, bridgeIndex);
    }
    // end::set-master[]

    public void setMaster(int index, int bridgeIndex) {
        socket.request(setMasterMessage(index, bridgeIndex), "link " + index + " master " + bridgeIndex);
    }

    /** {@code ip link del NAME}; deleting one end of a veth pair deletes both. */
    public void deleteLink(String name) {
        NetlinkMessage m = NetlinkMessage.of(Netlink.RTM_DELLINK, 0)
                .ifinfomsg(ANY_LINK)
                .attrString(Netlink.IFLA_IFNAME, checkName(name));
        socket.request(m, name);
    }

    // tag::add-address[]
    /** {@code ip addr add ADDRESS/PREFIX dev LINK}: IFA_LOCAL is the address, IFA_ADDRESS the same on a non-point-to-point link. */
    public static NetlinkMessage newAddress(int index, int address, int prefixLength) {
        byte[] a = Subnet.bytes(address);
        return NetlinkMessage.of(Netlink.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .ifaddrmsg(new IfAddrMsg(Sockets.AF_INET, prefixLength, 0, Netlink.RT_SCOPE_UNIVERSE, index))
                .attr(Netlink.IFA_LOCAL, a)
                .attr(Netlink.IFA_ADDRESS, a);
    }
    // end::add-address[]

    public void addAddress(int index, int address, int prefixLength) {
        socket.request(newAddress(index, address, prefixLength), Subnet.format(address) + "/" + prefixLength + " dev " + index);
    }

    // tag::add-route[]
    /** {@code ip route add default via GATEWAY}: destination length 0, in the main table. */
    public static NetlinkMessage newDefaultRoute(int gateway) {
        return NetlinkMessage.of(Netlink.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .rtmsg(new RtMsg(Sockets.AF_INET, 0, 0, 0, Netlink.RT_TABLE_MAIN, Netlink.RTPROT_BOOT,
                        Netlink.RT_SCOPE_UNIVERSE, Netlink.RTN_UNICAST, 0))
                .attr(Netlink.RTA_GATEWAY, Subnet.bytes(gateway));
    }
    // end::add-route[]

    public void addDefaultRoute(int gateway) {
        socket.request(newDefaultRoute(gateway), "default via " + Subnet.format(gateway));
    }

    /** {@code ip link show NAME}: the link, or null when there is none (ENODEV). */
    public Link link(String name) {
        NetlinkMessage m = NetlinkMessage.of(Netlink.RTM_GETLINK, 0)
                .ifinfomsg(ANY_LINK)
                .attrString(Netlink.IFLA_IFNAME, checkName(name));
        try {
            List<NetlinkReply> answer = socket.request(m, name);
            return answer.isEmpty() ? null : toLink(answer.get(0));
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENODEV) {
                return null;
            }
            throw e;
        }
    }

    /** The index of a link that must exist. */
    public int index(String name) {
        Link l = link(name);
        if (l == null) {
            throw new SyscallException(Netlink.typeName(Netlink.RTM_GETLINK), Errno.ENODEV, name);
        }
        return l.index();
    }

    /** {@code ip link show}: every link of the namespace. */
    public List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (NetlinkReply r : socket.dump(NetlinkMessage.of(Netlink.RTM_GETLINK, 0).ifinfomsg(ANY_LINK), "links")) {
            if (r.header().type() == Netlink.RTM_NEWLINK) {
                out.add(toLink(r));
            }
        }
        return out;
    }

    /** {@code ip route show}: the IPv4 routes of the main table. */
    public List<Route> routes() {
        NetlinkMessage m = NetlinkMessage.of(Netlink.RTM_GETROUTE, 0)
                .rtmsg(new RtMsg(Sockets.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0));
        List<Route> out = new ArrayList<>();
        for (NetlinkReply r : socket.dump(m, "routes")) {
            if (r.header().type() != Netlink.RTM_NEWROUTE) {
                continue;
            }
            RtMsg rt = RtMsg.read(r.payload(), 0);
            Map<Integer, byte[]> a = r.attributes(RtMsg.SIZE);
            int table = a.containsKey(Netlink.RTA_TABLE) ? NetlinkReply.u32(a.get(Netlink.RTA_TABLE)) : rt.table();
            if (table != Netlink.RT_TABLE_MAIN) {
                continue;
            }
            int dst = a.containsKey(Netlink.RTA_DST) ? Subnet.fromBytes(a.get(Netlink.RTA_DST)) : 0;
            int gw = a.containsKey(Netlink.RTA_GATEWAY) ? Subnet.fromBytes(a.get(Netlink.RTA_GATEWAY)) : 0;
            int oif = a.containsKey(Netlink.RTA_OIF) ? NetlinkReply.u32(a.get(Netlink.RTA_OIF)) : 0;
            out.add(new Route(new Subnet(dst, rt.dstLength()), gw, oif));
        }
        return out;
    }

    private static Link toLink(NetlinkReply r) {
        IfInfoMsg info = IfInfoMsg.read(r.payload(), 0);
        Map<Integer, byte[]> a = r.attributes(IfInfoMsg.SIZE);
        String name = a.containsKey(Netlink.IFLA_IFNAME) ? NetlinkReply.string(a.get(Netlink.IFLA_IFNAME)) : "";
        int master = a.containsKey(Netlink.IFLA_MASTER) ? NetlinkReply.u32(a.get(Netlink.IFLA_MASTER)) : 0;
        String kind = null;
        if (a.containsKey(Netlink.IFLA_LINKINFO)) {
            byte[] k = NetlinkReply.nested(a.get(Netlink.IFLA_LINKINFO)).get(Netlink.IFLA_INFO_KIND);
            kind = k == null ? null : NetlinkReply.string(k);
        }
        return new Link(info.index(), name, info.flags(), master, kind);
    }

    /** Interface names are at most 15 bytes (IFNAMSIZ with its NUL) and contain no '/' or space. */
    static String checkName(String name) {
        if (name.isEmpty() || name.length() >= Netlink.IFNAMSIZ || name.contains("/") || name.contains(" ")
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid interface name \"" + name + "\": at most "
                    + (Netlink.IFNAMSIZ - 1) + " characters, no '/' or spaces");
        }
        return name;
    }
}
