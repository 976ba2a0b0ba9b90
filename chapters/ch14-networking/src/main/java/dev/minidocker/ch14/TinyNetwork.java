package dev.minidocker.ch14;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.net.Lease;
import dev.minidocker.container.net.NatTable;
import dev.minidocker.container.net.NetNamespace;
import dev.minidocker.container.net.NetlinkMessage;
import dev.minidocker.container.net.Network;
import dev.minidocker.container.net.PortMapping;
import dev.minidocker.container.net.RouteSocket;
import dev.minidocker.container.net.Rtnetlink;
import dev.minidocker.container.net.Subnet;
import dev.minidocker.container.net.Sysctl;
import dev.minidocker.sys.Syscalls;

/**
 * The chapter's network, built one step at a time with the same rtnetlink messages and nftables
 * table mini's engine uses. Three network namespaces of its own: {@code host} stands in for the
 * host (so the machine's own links, firewall and sysctls are never touched), {@code container} is
 * the container's, and {@code outside} plays the rest of the world, reached from the host on
 * 198.51.100.0/24 (TEST-NET-2), with no route back to the container's subnet.
 * Each step returns the messages it sent, for the demo to show.
 */
public final class TinyNetwork implements AutoCloseable {
    public static final String BRIDGE = "br14";
    public static final String HOST_VETH = "veth14";
    public static final String SUBNET = "10.14.0.0/24";
    public static final String GATEWAY = "10.14.0.1";
    public static final String CONTAINER_ADDRESS = "10.14.0.2";
    public static final String HOST_ADDRESS = "198.51.100.1";
    public static final String OUTSIDE_ADDRESS = "198.51.100.2";
    public static final String TABLE = "ch14";

    private static final Network NETWORK = new Network("ch14", "ch14", "bridge", BRIDGE, SUBNET, GATEWAY, "");

    public final Path dir;
    public final NetNamespace host;
    public final NetNamespace container;
    public final NetNamespace outside;
    private final RouteSocket hostSocket;
    private final RouteSocket containerSocket;

    private TinyNetwork(Path dir, NetNamespace host, NetNamespace container, NetNamespace outside) {
        this.dir = dir;
        this.host = host;
        this.container = container;
        this.outside = outside;
        hostSocket = host.openRouteSocket();
        containerSocket = container.openRouteSocket();
    }

    /** The three namespaces, each with its loopback up, and the host's uplink to the outside. */
    public static TinyNetwork create() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/run"), "mini-ch14-");
        List<NetNamespace> made = new java.util.ArrayList<>();
        TinyNetwork t;
        try {
            for (String name : List.of("host", "container", "outside")) {
                made.add(NetNamespace.create(dir.resolve(name)));
            }
            t = new TinyNetwork(dir, made.get(0), made.get(1), made.get(2));
        } catch (RuntimeException e) {
            made.forEach(NetNamespace::remove);            // what a failed start made goes again
            FileTrees.delete(dir);
            throw e;
        }
        try (RouteSocket o = t.outside.openRouteSocket()) {
            Rtnetlink h = new Rtnetlink(t.hostSocket);
            Rtnetlink w = new Rtnetlink(o);
            h.setUp(h.index("lo"));
            w.setUp(w.index("lo"));
            new Rtnetlink(t.containerSocket).setUp(new Rtnetlink(t.containerSocket).index("lo"));
            h.createVethPair("uplink", "world");
            t.moveInto(h, "world", t.outside);
            h.addAddress(h.index("uplink"), Subnet.parseAddress(HOST_ADDRESS), 24);
            h.setUp(h.index("uplink"));
            w.addAddress(w.index("world"), Subnet.parseAddress(OUTSIDE_ADDRESS), 24);
            w.setUp(w.index("world"));
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    // tag::veth[]
    /** A veth pair in the host namespace; its end "eth0" moves into the container's namespace. */
    public List<NetlinkMessage> veth() {
        Rtnetlink h = new Rtnetlink(hostSocket);
        NetlinkMessage create = Rtnetlink.newVethPair(HOST_VETH, "eth0");
        hostSocket.request(create, HOST_VETH + " type veth peer eth0");
        NetlinkMessage move = moveInto(h, "eth0", container);
        return List.of(create, move);
    }
    // end::veth[]

    /** The bridge, with the host's end of the veth plugged in, both up. */
    public List<NetlinkMessage> bridge() {
        Rtnetlink h = new Rtnetlink(hostSocket);
        NetlinkMessage create = Rtnetlink.newBridge(BRIDGE);
        hostSocket.request(create, BRIDGE + " type bridge");
        NetlinkMessage plug = Rtnetlink.setMasterMessage(h.index(HOST_VETH), h.index(BRIDGE));
        hostSocket.request(plug, HOST_VETH + " master " + BRIDGE);
        NetlinkMessage up = Rtnetlink.setUpMessage(h.index(BRIDGE));
        hostSocket.request(up, BRIDGE + " up");
        h.setUp(h.index(HOST_VETH));
        return List.of(create, plug, up);
    }

    /** The gateway's address on the bridge, the container's on its eth0, which goes up. */
    public List<NetlinkMessage> addresses() {
        Rtnetlink h = new Rtnetlink(hostSocket);
        Rtnetlink c = new Rtnetlink(containerSocket);
        NetlinkMessage gateway = Rtnetlink.newAddress(h.index(BRIDGE), Subnet.parseAddress(GATEWAY), 24);
        hostSocket.request(gateway, GATEWAY + "/24 dev " + BRIDGE);
        NetlinkMessage own = Rtnetlink.newAddress(c.index("eth0"), Subnet.parseAddress(CONTAINER_ADDRESS), 24);
        containerSocket.request(own, CONTAINER_ADDRESS + "/24 dev eth0");
        c.setUp(c.index("eth0"));
        return List.of(gateway, own);
    }

    /** The container's default route: everything not on its own subnet goes to the bridge's address. */
    public List<NetlinkMessage> defaultRoute() {
        NetlinkMessage route = Rtnetlink.newDefaultRoute(Subnet.parseAddress(GATEWAY));
        containerSocket.request(route, "default via " + GATEWAY);
        return List.of(route);
    }

    /** Forwarding in the host's namespace (a per-namespace sysctl) and the table with masquerade; returns the script. */
    public String nat() {
        return host.call(() -> {
            Sysctl.write(Sysctl.IP_FORWARD, "1");
            String script = NatTable.render(TABLE, Map.of(NETWORK, List.of(lease(List.of()))));
            NatTable.apply(script);
            return script;
        });
    }

    /** The table again, now also with DNAT of hostPort on every host address to the container's port. */
    public String publish(int hostPort, int containerPort) {
        return host.call(() -> {
            String script = NatTable.render(TABLE, Map.of(NETWORK,
                    List.of(lease(List.of(new PortMapping(PortMapping.ANY, hostPort, containerPort, "tcp"))))));
            NatTable.apply(script);
            return script;
        });
    }

    private Lease lease(List<PortMapping> ports) {
        return new Lease("ch14", "ch14-demo", NETWORK.name(), CONTAINER_ADDRESS, HOST_VETH,
                container.path().toString(), "", ports, 0, 0);
    }

    private NetlinkMessage moveInto(Rtnetlink h, String link, NetNamespace target) {
        int fd = target.openFd();
        try {
            NetlinkMessage m = Rtnetlink.setNamespace(h.index(link), fd);
            hostSocket.request(m, link + " netns " + target.path());
            return m;
        } finally {
            Syscalls.close(fd);
        }
    }

    /** Removing the namespaces removes everything in them: links, addresses, routes, the nftables table. */
    @Override
    public void close() {
        hostSocket.close();
        containerSocket.close();
        container.remove();
        outside.remove();
        host.remove();
        try {
            FileTrees.delete(dir);
        } catch (IOException ignored) {
            // an empty directory under /run; nothing holds a namespace any more
        }
    }
}
