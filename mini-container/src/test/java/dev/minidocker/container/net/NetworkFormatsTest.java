package dev.minidocker.container.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** -p, subnets, resolv.conf, hosts and the nftables script, without privileges. */
class NetworkFormatsTest {

    @Test
    void publishSpecsFollowDockersSyntax() {
        assertEquals(List.of(new PortMapping("0.0.0.0", 8080, 80, "tcp")), PortMapping.parse("8080:80"));
        assertEquals(List.of(new PortMapping("127.0.0.1", 5353, 53, "udp")), PortMapping.parse("127.0.0.1:5353:53/udp"));
        assertEquals(List.of(new PortMapping("0.0.0.0", 0, 80, "tcp")), PortMapping.parse("80"));
        assertEquals(List.of(new PortMapping("0.0.0.0", 8000, 80, "tcp"), new PortMapping("0.0.0.0", 8001, 81, "tcp"),
                new PortMapping("0.0.0.0", 8002, 82, "tcp")), PortMapping.parse("8000-8002:80-82"));
        assertEquals(2, PortMapping.parse("7000-7001").size());
        assertEquals("80/tcp -> 0.0.0.0:8080", PortMapping.parse("8080:80").get(0).toString());
    }

    @Test
    void badPublishSpecsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("8000-8002:80-81")).getMessage()
                .contains("ranges differ"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("80/sctp")).getMessage()
                .contains("tcp or udp"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("70000")).getMessage()
                .contains("not a port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PortMapping.parse("localhost:80:80")).getMessage()
                .contains("not an IPv4 address"));
    }

    @Test
    void subnetsParseOverlapAndNameTheirHosts() {
        Subnet s = Subnet.parse("10.66.3.0/24");
        assertEquals("10.66.3.1", Subnet.format(s.gateway()));
        assertEquals("10.66.3.2", Subnet.format(s.host(2)));
        assertTrue(s.overlaps(Subnet.parse("10.66.0.0/16")));
        assertFalse(s.overlaps(Subnet.parse("10.66.4.0/24")));
        assertTrue(s.contains(Subnet.parseAddress("10.66.3.254")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Subnet.parse("10.66.3.7/24")).getMessage()
                .contains("host bits"));
        assertThrows(IllegalArgumentException.class, () -> Subnet.parse("10.66.3.0"));
        assertThrows(IllegalArgumentException.class, () -> Subnet.parse("10.300.3.0/24"));
    }

    @Test
    void theDefaultSubnetAvoidsTheHostsRoutesOtherNetworksAndPeers() {
        Network first = new Network("bridge", "x", "bridge", "mini0", "10.66.0.0/24", "10.66.0.1", "");
        assertEquals("10.66.0.0/24", NetworkStore.freeSubnet(List.of(), List.of()).toString());
        assertEquals("10.66.1.0/24", NetworkStore.freeSubnet(List.of(first), List.of()).toString());
        Route busy = new Route(Subnet.parse("10.66.0.0/16"), 0, 2);
        Route defaultRoute = new Route(Subnet.parse("0.0.0.0/0"), Subnet.parseAddress("192.0.2.1"), 2);
        assertEquals("10.67.0.0/24", NetworkStore.freeSubnet(List.of(), List.of(busy, defaultRoute)).toString());
        for (Subnet peer : NetworkStore.PEERS_DEFAULTS) {
            assertFalse(NetworkStore.freeSubnet(List.of(), List.of()).overlaps(peer));
        }
    }

    @Test
    void resolvConfDropsLoopbackNameserversAsDockerDoes() {
        String host = "search example.org\nnameserver 127.0.0.53\nnameserver 192.0.2.53\noptions edns0\n";
        assertEquals("search example.org\nnameserver 192.0.2.53\noptions edns0\n", ContainerFiles.resolvConf(host));
        String onlyLoopback = ContainerFiles.resolvConf("nameserver 127.0.0.53\nnameserver ::1\n");
        assertFalse(onlyLoopback.contains("127.0.0.53"));
        assertTrue(onlyLoopback.contains("# mini: the host's nameservers are all on its loopback"), onlyLoopback);
        assertTrue(onlyLoopback.contains("nameserver 8.8.8.8\nnameserver 8.8.4.4\n"), onlyLoopback);
    }

    @Test
    void hostsListsLocalhostItselfAndTheOthers() {
        String h = ContainerFiles.hosts("10.66.1.2", "web", List.<String[]>of(new String[] {"db", "10.66.1.3"}));
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.66.1.2\tweb\n10.66.1.3\tdb\n", h);
    }

    @Test
    void theTableMasqueradesEachNetworkAndForwardsEachPublishedPort() {
        Network n = new Network("bridge", "x", "bridge", "mini0", "10.66.0.0/24", "10.66.0.1", "");
        Lease web = new Lease("id1", "web", "bridge", "10.66.0.2", "vethid1", "/run/x", "/tmp/h",
                List.of(new PortMapping("0.0.0.0", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 5353, 53, "udp")), 1, 1);
        Map<Network, List<Lease>> inUse = new LinkedHashMap<>();
        inUse.put(n, List.of(web));
        String s = NatTable.render("mini", inUse);
        assertTrue(s.startsWith("table ip mini\ndelete table ip mini\ntable ip mini {\n"), s);
        assertTrue(s.contains("\t\ttcp dport 8080 dnat to 10.66.0.2:80 comment \"web\"\n"), s);
        assertTrue(s.contains("\t\tip daddr 127.0.0.1 udp dport 5353 dnat to 10.66.0.2:53 comment \"web\"\n"), s);
        assertTrue(s.contains("ip saddr 10.66.0.0/24 oifname != \"mini0\" masquerade"), s);
        assertTrue(s.contains("type nat hook output priority -100"), s);
        assertEquals("table ip mini\ndelete table ip mini\n", NatTable.renderDelete("mini"));
    }
}
