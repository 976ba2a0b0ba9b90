package dev.minidocker.ch14;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.net.Sysctl;
import dev.minidocker.sys.Privileged;

/**
 * The chapter's claims, each checked by what a process in one of the chapter's namespaces sees
 * (iproute2's ip, busybox's ping and wget). All traffic stays in namespaces the test made; the
 * machine's own ip_forward is checked to be untouched.
 */
class ContainerNetworkTest {
    private TinyNetwork net;
    private String forwardBefore;

    @BeforeEach
    void setUp() throws Exception {
        Privileged.requireRoot();
        forwardBefore = Sysctl.read(Sysctl.IP_FORWARD);
        net = TinyNetwork.create();
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            Path dir = net.dir;
            net.close();
            assertFalse(Files.exists(dir), "the namespaces' directory is gone");
            assertEquals(forwardBefore, Sysctl.read(Sysctl.IP_FORWARD), "the machine's own ip_forward is unchanged");
        }
    }

    @Test
    void aNewNetworkNamespaceHasOnlyLoopback() {
        String links = Nsenter.out(net.container, "ip", "-o", "link");
        assertEquals(1, links.lines().count(), links);
        assertTrue(links.contains(": lo:"), links);
    }

    @Test
    void oneEndOfTheVethIsInTheContainerAndTheBridgeHoldsTheOther() {
        net.veth();
        net.bridge();
        String inside = Nsenter.out(net.container, "ip", "-o", "link");
        assertTrue(inside.contains(": eth0@"), inside);
        assertTrue(inside.contains("link/ether"), "eth0 is an ethernet link: " + inside);
        String host = Nsenter.out(net.host, "ip", "-o", "link", "show", TinyNetwork.HOST_VETH);
        assertTrue(host.contains("master " + TinyNetwork.BRIDGE), host);
        assertTrue(Nsenter.out(net.host, "ip", "-d", "-o", "link", "show", TinyNetwork.HOST_VETH).contains("veth"), "the kind is veth");
        assertFalse(Nsenter.out(net.host, "ip", "-o", "link").contains(": eth0@"), "eth0 left the host's namespace");
    }

    @Test
    void theContainerSeesItsAddressAndDefaultRouteAndReachesTheGateway() {
        net.veth();
        net.bridge();
        net.addresses();
        net.defaultRoute();
        String addr = Nsenter.out(net.container, "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        assertTrue(addr.contains("inet " + TinyNetwork.CONTAINER_ADDRESS + "/24"), addr);
        String routes = Nsenter.out(net.container, "ip", "route");
        assertTrue(routes.contains("default via " + TinyNetwork.GATEWAY + " dev eth0"), routes);
        Nsenter.Result ping = Nsenter.run(net.container, Nsenter.BUSYBOX, "ping", "-c", "1", "-W", "5", TinyNetwork.GATEWAY);
        assertEquals(0, ping.exit(), ping.out());
        assertTrue(ping.out().contains("1 packets received"), ping.out());
    }

    @Test
    void outboundTrafficReachesTheWorldMasqueradedAsTheHost() throws Exception {
        net.veth();
        net.bridge();
        net.addresses();
        net.defaultRoute();
        net.nat();
        try (PeerAddressServer server = new PeerAddressServer(net.outside, TinyNetwork.OUTSIDE_ADDRESS, 8000)) {
            Nsenter.Result r = Nsenter.fetch(net.container, "http://" + TinyNetwork.OUTSIDE_ADDRESS + ":8000/");
            assertEquals(0, r.exit(), r.out());
            assertEquals("you came from " + TinyNetwork.HOST_ADDRESS, r.out().strip(),
                    "the server sees the host's address, not the container's " + TinyNetwork.CONTAINER_ADDRESS);
        }
        String ruleset = Nsenter.out(net.host, "nft", "list", "table", "ip", TinyNetwork.TABLE);
        assertTrue(ruleset.contains("masquerade"), ruleset);
    }

    @Test
    void aPublishedPortOnTheHostReachesTheServerInTheContainer() throws Exception {
        net.veth();
        net.bridge();
        net.addresses();
        net.defaultRoute();
        net.nat();
        Path www = Files.createTempDirectory("ch14-test-www-");
        Files.writeString(www.resolve("index.html"), "hello from the container's httpd\n");
        Process httpd = Nsenter.start(net.container, Nsenter.BUSYBOX, "httpd", "-f", "-p", "80", "-h", www.toString());
        try {
            net.publish(8080, 80);
            Nsenter.Result fromWorld = Nsenter.fetch(net.outside, "http://" + TinyNetwork.HOST_ADDRESS + ":8080/");
            assertEquals(0, fromWorld.exit(), fromWorld.out());
            assertEquals("hello from the container's httpd", fromWorld.out().strip());
            Nsenter.Result fromHost = Nsenter.fetch(net.host, "http://" + TinyNetwork.HOST_ADDRESS + ":8080/");
            assertEquals("hello from the container's httpd", fromHost.out().strip(), "the host itself reaches it too (the output hook)");
            Nsenter.Result unpublished = Nsenter.run(net.outside, Nsenter.BUSYBOX, "wget", "-q", "-O", "-",
                    "http://" + TinyNetwork.HOST_ADDRESS + ":8081/");
            assertTrue(unpublished.exit() != 0, "nothing answers on a port that is not published: " + unpublished.out());
        } finally {
            httpd.destroy();
            httpd.waitFor();
            FileTrees.delete(www);
        }
    }
}
