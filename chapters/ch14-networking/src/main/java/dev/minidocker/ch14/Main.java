package dev.minidocker.ch14;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.net.NetlinkMessage;
import dev.minidocker.container.net.Sysctl;

/**
 * Chapter 14: networking. A new network namespace has nothing but a loopback link that is down.
 * The demo gives it what mini gives a container, one rtnetlink message at a time (a veth pair, a
 * bridge, addresses, a default route), then nftables rules for outbound NAT and a published port.
 * It all happens in namespaces the demo makes, one of which plays the host, so the machine's own
 * network is never touched; removing the namespaces at the end removes every piece.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 14: Networking: namespaces, veth, bridges, netlink, NAT, published ports");
        Demos.requireRootOrExplain(n);
        String forwardBefore = Sysctl.read(Sysctl.IP_FORWARD);
        n.step("Three new network namespaces: 'host' stands in for the host, 'container' is the container's, 'outside' is the world",
                "a new namespace has only lo, and lo is down until someone sets it up; the host and the world are joined on 198.51.100.0/24");
        try (TinyNetwork net = TinyNetwork.create()) {
            show(n, net, "container", "ip -br link");
            n.inside("(the demo set lo up; nothing else is here)");
            run(n, net);
        }
        n.host("the machine's own net.ipv4.ip_forward: " + forwardBefore + " before, " + Sysctl.read(Sysctl.IP_FORWARD)
                + " after (the demo changed only its own namespace's)");
        n.conclude("a container's network is a namespace plus links, addresses and routes set by netlink messages, and a few NAT rules on the host");
    }

    private static void run(Narrator n, TinyNetwork net) throws Exception {
        n.step("A veth pair: RTM_NEWLINK with IFLA_INFO_KIND \"veth\"; its peer is described inside the same message",
                "the nesting: IFLA_LINKINFO holds IFLA_INFO_DATA, which holds VETH_INFO_PEER, whose payload starts with the peer's own ifinfomsg");
        List<NetlinkMessage> veth = net.veth();
        dump(n, veth.get(0));
        n.say("then \"ip link set eth0 netns container\": one attribute, a descriptor of the target namespace");
        dump(n, veth.get(1));
        show(n, net, "host", "ip -br link");
        show(n, net, "container", "ip -br link");

        n.step("A bridge, and the host's end of the veth plugged into it",
                "a bridge is a link too (IFLA_INFO_KIND \"bridge\"); IFLA_MASTER plugs a link in; IFF_UP in ifi_flags with ifi_change saying which bit changes");
        List<NetlinkMessage> bridge = net.bridge();
        dump(n, bridge.get(0));
        n.say("the " + MessageDump.bytes(bridge.get(0)).length + " bytes that went over the socket: nlmsghdr, ifinfomsg, then the attributes, each padded to 4");
        MessageDump.hex(bridge.get(0)).forEach(l -> n.host("  " + l));
        dump(n, bridge.get(1));
        dump(n, bridge.get(2));
        show(n, net, "host", "ip -br link show master " + TinyNetwork.BRIDGE);

        n.step("Addresses: RTM_NEWADDR, the gateway " + TinyNetwork.GATEWAY + " on the bridge, " + TinyNetwork.CONTAINER_ADDRESS + " on the container's eth0",
                "an ifaddrmsg names the link by index and gives the prefix length; IFA_LOCAL is the address itself, in network byte order");
        List<NetlinkMessage> addresses = net.addresses();
        dump(n, addresses.get(1));
        show(n, net, "container", "ip -br addr");
        show(n, net, "container", "ip route");

        n.step("A default route in the container: RTM_NEWROUTE with dst_len 0 and RTA_GATEWAY",
                "the kernel added the subnet's route itself when the address came; the default route sends everything else to the bridge");
        dump(n, net.defaultRoute().get(0));
        show(n, net, "container", "ip route");
        show(n, net, "container", Nsenter.BUSYBOX + " ping -c 1 -W 5 " + TinyNetwork.GATEWAY);

        n.step("Outbound NAT: ip_forward in the host's namespace and a masquerade rule, loaded with libnftables as one transaction",
                "the world has no route to 10.14.0.0/24: only because the host rewrites the source address does the answer come back");
        String script = net.nat();
        script.lines().filter(l -> l.contains("outbound") || l.contains("hook postrouting"))
                .forEach(l -> n.host("nft: " + l.strip()));
        try (PeerAddressServer server = new PeerAddressServer(net.outside, TinyNetwork.OUTSIDE_ADDRESS, 8000)) {
            String url = "http://" + TinyNetwork.OUTSIDE_ADDRESS + ":8000/";
            n.say("a server in 'outside' answers with the address a connection came from; the container asks it:");
            n.inside("(in 'container') wget -qO- " + url + " -> " + Nsenter.fetch(net.container, url).out().strip());
        }

        n.step("A published port: DNAT of the host's port 8080 to the container's port 80 (docker's -p 8080:80)",
                "the rule matches packets for any local address of the host, from the world (prerouting) or from the host itself (output)");
        Path www = Files.createTempDirectory("ch14-www-");
        Files.writeString(www.resolve("index.html"), "served by busybox httpd in the container\n");
        Process httpd = Nsenter.start(net.container, Nsenter.BUSYBOX, "httpd", "-f", "-p", "80", "-h", www.toString());
        try {
            net.publish(8080, 80).lines().filter(l -> l.contains("dnat to") || l.contains("hook prerouting"))
                    .forEach(l -> n.host("nft: " + l.strip()));
            String url = "http://" + TinyNetwork.HOST_ADDRESS + ":8080/";
            Nsenter.Result seen = Nsenter.fetch(net.outside, url);
            n.host("(in 'outside') wget -qO- " + url + " -> " + seen.out().strip());
        } finally {
            httpd.destroy();
            httpd.waitFor();
            FileTrees.delete(www);
        }
        n.step("Remove the three namespaces", "links, addresses, routes and the nftables table lived in them: nothing is left to delete one by one");
    }

    private static void dump(Narrator n, NetlinkMessage m) {
        MessageDump.describe(m).forEach(l -> n.host("  " + l));
    }

    private static void show(Narrator n, TinyNetwork net, String where, String command) {
        var ns = switch (where) {
            case "host" -> net.host;
            case "outside" -> net.outside;
            default -> net.container;
        };
        String out = Nsenter.run(ns, command.split(" ")).out();
        String prompt = "(in '" + where + "') " + command.replace(Nsenter.BUSYBOX + " ", "") + ":";
        if (where.equals("container")) {
            n.inside(prompt);
            out.lines().forEach(l -> n.inside("  " + l.strip()));
        } else {
            n.host(prompt);
            out.lines().forEach(l -> n.host("  " + l.strip()));
        }
    }
}
