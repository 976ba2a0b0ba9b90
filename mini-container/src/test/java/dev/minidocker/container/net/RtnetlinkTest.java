package dev.minidocker.container.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * Links, addresses and routes made by our own rtnetlink messages, looked at with iproute2 and
 * used by busybox. Everything happens in a network namespace that plays "the host", so the
 * machine's own links are never touched.
 */
class RtnetlinkTest {
    private Path dir;
    private NetNamespace host;
    private NetNamespace box;

    @BeforeEach
    void setUp() throws Exception {
        Privileged.requireRoot();
        dir = Files.createTempDirectory(Path.of("/run"), "mini-net-test-");
        host = NetNamespace.create(dir.resolve("host"));
        box = NetNamespace.create(dir.resolve("box"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (box != null) {
            box.remove();
        }
        if (host != null) {
            host.remove();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aVethPairOnABridgeConnectsTwoNamespaces() {
        host.call(() -> {
            try (RouteSocket s = RouteSocket.open(); RouteSocket inBox = box.openRouteSocket()) {
                Rtnetlink h = new Rtnetlink(s);
                Rtnetlink b = new Rtnetlink(inBox);
                h.createBridge("br-test");
                int bridge = h.index("br-test");
                h.addAddress(bridge, Subnet.parseAddress("10.1.2.1"), 24);
                h.setUp(bridge);
                h.createVethPair("vhost", "vpeer");
                h.setMaster(h.index("vhost"), bridge);
                h.setUp(h.index("vhost"));
                int fd = box.openFd();
                try {
                    h.moveToNamespace(h.index("vpeer"), fd);
                } finally {
                    Syscalls.close(fd);
                }
                assertNull(h.link("vpeer"), "the peer left the host namespace");
                int peer = b.index("vpeer");
                b.rename(peer, "eth0");
                b.setUp(peer);
                b.setUp(b.index("lo"));
                b.addAddress(peer, Subnet.parseAddress("10.1.2.2"), 24);
                b.addDefaultRoute(Subnet.parseAddress("10.1.2.1"));

                Link eth0 = b.link("eth0");
                assertEquals(peer, eth0.index());
                assertEquals("veth", eth0.kind());
                assertEquals(bridge, h.link("vhost").master());
                assertTrue(b.routes().contains(new Route(new Subnet(0, 0), Subnet.parseAddress("10.1.2.1"), peer)),
                        b.routes().toString());

                String inside = Sh.out("nsenter", "--net=" + box.path(), "ip", "-4", "-o", "addr", "show", "dev", "eth0");
                assertTrue(inside.contains("inet 10.1.2.2/24"), inside);
                String route = Sh.out("nsenter", "--net=" + box.path(), "ip", "route", "show", "default");
                assertTrue(route.contains("default via 10.1.2.1 dev eth0"), route);
                // traffic: the host reaches the box through the bridge, and the box the host
                assertEquals(0, Sh.run("busybox", "ping", "-c", "1", "-W", "5", "10.1.2.2").exit());
                assertEquals(0, Sh.run("nsenter", "--net=" + box.path(), "busybox", "ping", "-c", "1", "-W", "5", "10.1.2.1").exit());

                h.deleteLink("vhost");                       // deletes both ends
                assertNull(b.link("eth0"));
                h.deleteLink("br-test");
                assertFalse(Sh.out("ip", "-o", "link").contains("br-test"));
            }
            return null;
        });
    }

    @Test
    void theKernelsRefusalBecomesASyscallExceptionWithItsErrnoName() {
        host.call(() -> {
            try (RouteSocket s = RouteSocket.open()) {
                Rtnetlink h = new Rtnetlink(s);
                h.createBridge("br-dup");
                SyscallException e = assertThrows(SyscallException.class, () -> h.createBridge("br-dup"));
                assertEquals("RTM_NEWLINK", e.call());
                assertEquals("EEXIST", e.errnoName());
                assertTrue(e.getMessage().startsWith("RTM_NEWLINK(br-dup type bridge"), e.getMessage());
                SyscallException gone = assertThrows(SyscallException.class, () -> h.deleteLink("no-such-link"));
                assertEquals("ENODEV", gone.errnoName());
                h.deleteLink("br-dup");
            }
            return null;
        });
    }

    @Test
    void aRemovedNamespaceLeavesNoMount() {
        NetNamespace extra = NetNamespace.create(dir.resolve("extra"));
        assertTrue(extra.exists());
        extra.remove();
        assertFalse(extra.exists());
        assertFalse(Files.exists(extra.path()));
        extra.remove(); // twice is fine
    }
}
