package dev.minidocker.container.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/**
 * Containers' networks as the engine makes them, with "containers" that are network namespaces
 * made by {@link Networking#attach}, and traffic from busybox (through nsenter) and from Java
 * sockets on threads that joined a namespace. Everything lives in a {@link TestWorld}.
 */
class NetworkingTest {
    private TestWorld world;
    private final List<Process> servers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Privileged.requireRoot();
        world = new TestWorld();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : servers) {
            p.destroyForcibly().waitFor();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void containersReachEachOtherTheHostReachesPublishedPortsAndOutboundIsMasqueraded() throws Exception {
        world.inHost(() -> {
            Networking net = world.networking();
            Attachment web = net.attach(request("web", Network.DEFAULT, PortMapping.parse("8080:80")));
            Attachment client = net.attach(request("client", Network.DEFAULT, List.of()));
            assertEquals("mini0", web.network().bridge());
            assertNotEquals(web.address(), client.address());
            assertTrue(web.network().cidr().contains(Subnet.parseAddress(web.address())));
            httpd(web, "hello from web");

            // container -> container, by address
            assertEquals("hello from web", world.eventually(() -> wget(client, "http://" + web.address() + "/")));
            // host -> published port, on the host's address and on 127.0.0.1 (route_localnet)
            assertEquals("hello from web", TestWorld.httpGet(TestWorld.HOST_ADDRESS, 8080));
            assertEquals("hello from web", TestWorld.httpGet("127.0.0.1", 8080));
            // the outside world -> the host's published port
            assertEquals("hello from web", Sh.out("nsenter", "--net=" + world.outside.path(), "busybox", "wget", "-qO-",
                    "http://" + TestWorld.HOST_ADDRESS + ":8080/"));
            // another container -> the published port on the host's address (hairpin)
            assertEquals("hello from web", wget(client, "http://" + TestWorld.HOST_ADDRESS + ":8080/"));

            // outbound: a server in the outside world sees the host's address, not the container's
            assertEquals(TestWorld.HOST_ADDRESS, outsideSeesClientAddress(client));

            String ruleset = Sh.out("nft", "list", "table", "ip", "mini");
            assertTrue(ruleset.contains("dnat to " + web.address() + ":80"), ruleset);

            net.detach(web.container());
            net.detach(client.container());
            assertNothingLeft(net);
            return null;
        });
    }

    @Test
    void aPublishedUdpPortAndAFreeHostPortWork() throws Exception {
        world.inHost(() -> {
            Networking net = world.networking();
            List<PortMapping> ports = new ArrayList<>(PortMapping.parse("5353:53/udp"));
            ports.addAll(PortMapping.parse("80"));
            Attachment dns = net.attach(request("dns", Network.DEFAULT, ports));
            assertEquals(5353, dns.ports().get(0).hostPort());
            int chosen = dns.ports().get(1).hostPort();
            assertTrue(chosen > 0, "a free host port was chosen for -p 80: " + chosen);

            // a UDP server inside the container answers with the address it saw
            CountDownLatch bound = new CountDownLatch(1);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread server = new Thread(() -> {
                try {
                    NetNamespace.at(dns.netns()).call(() -> {
                        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("0.0.0.0", 53))) {
                            bound.countDown();
                            DatagramPacket p = new DatagramPacket(new byte[512], 512);
                            s.receive(p);
                            byte[] reply = ("pong " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                                    .getBytes(StandardCharsets.UTF_8);
                            s.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                        }
                        return null;
                    });
                } catch (Throwable e) {
                    failed.set(e);
                    bound.countDown();
                }
            });
            server.start();
            assertTrue(bound.await(30, TimeUnit.SECONDS));
            try (DatagramSocket c = new DatagramSocket()) {
                c.setSoTimeout(10000);
                byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
                c.send(new DatagramPacket(ping, ping.length, InetAddress.getByName(TestWorld.HOST_ADDRESS), 5353));
                DatagramPacket answer = new DatagramPacket(new byte[512], 512);
                c.receive(answer);
                assertEquals("pong ping", new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8));
            }
            server.join();
            assertEquals(null, failed.get());

            httpd(dns, "on a port of the kernel's choosing");
            assertEquals("on a port of the kernel's choosing", world.eventually(() -> TestWorld.httpGet("127.0.0.1", chosen)));

            // a port taken by a container, or by a process of the host, is refused and nothing is left of the try
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                    () -> net.attach(request("second", Network.DEFAULT, PortMapping.parse("5353:53/udp"))));
            assertTrue(taken.getMessage().contains("port is already allocated"), taken.getMessage());
            try (ServerSocket busy = new ServerSocket()) {
                busy.bind(new InetSocketAddress("0.0.0.0", 0));
                IllegalArgumentException inUse = assertThrows(IllegalArgumentException.class,
                        () -> net.attach(request("third", Network.DEFAULT, PortMapping.parse(busy.getLocalPort() + ":80"))));
                assertTrue(inUse.getMessage().contains("a process on the host is using it"), inUse.getMessage());
            }
            assertEquals(1, net.leases().size());

            net.detach(dns.container());
            assertNothingLeft(net);
            return null;
        });
    }

    @Test
    void eightParallelAttachmentsGetEightAddresses() throws Exception {
        world.inHost(() -> {
            Networking net = world.networking();
            List<Attachment> done = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "par" + i;
                // each thread is made by this one, so it starts in the test's host namespace
                Thread t = new Thread(() -> {
                    try {
                        done.add(world.networking().attach(request(name, Network.DEFAULT, List.of())));
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            Set<String> addresses = new HashSet<>();
            for (Attachment a : done) {
                addresses.add(a.address());
                String inside = Sh.out("nsenter", "--net=" + a.netns(), "ip", "-4", "-o", "addr", "show", "dev", "eth0");
                assertTrue(inside.contains("inet " + a.address() + "/24"), inside);
            }
            assertEquals(8, addresses.size(), addresses.toString());
            assertEquals(8, net.leases().size());
            for (Attachment a : done) {
                net.detach(a.container());
            }
            assertNothingLeft(net);
            return null;
        });
    }

    @Test
    void whatAKilledEngineLeftIsReclaimedByTheNextCommand() throws Exception {
        world.inHost(() -> {
            Networking net = world.networking();
            Attachment a = net.attach(request("orphan", Network.DEFAULT, PortMapping.parse("8081:80")));
            Process holder = new ProcessBuilder("sleep", "600").start();
            net.hold(a.container(), holder.pid());
            assertEquals(0, world.networking().reclaim(), "the holder is alive: nothing to reclaim");
            holder.destroyForcibly().waitFor();            // SIGKILL, like kill -9 of mini
            assertTrue(Sh.out("ip", "-o", "link").contains("veth"), "still there before the next command");

            Networking next = world.networking();          // the next mini command
            assertEquals(1, next.reclaim());
            assertNothingLeft(next);
            return null;
        });
    }

    @Test
    void containersOfAUserNetworkFindEachOtherByName() throws Exception {
        world.inHost(() -> {
            Networking net = world.networking();
            Network app = net.createNetwork("appnet", null);
            Network other = net.createNetwork("other", Subnet.parse("10.123.0.0/24"));
            Network bridge = net.network(Network.DEFAULT);
            assertFalse(app.cidr().overlaps(bridge.cidr()));
            assertEquals("10.123.0.1", other.gateway());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> net.createNetwork("clash", Subnet.parse("10.123.0.0/16")))
                    .getMessage().contains("overlaps network other"));

            Attachment web = net.attach(request("web", "appnet", List.of()));
            httpd(web, "found by name");
            Attachment client = net.attach(request("client", "appnet", List.of()));   // started later
            Attachment elsewhere = net.attach(request("elsewhere", "other", List.of()));

            assertTrue(Files.readString(web.hosts()).contains(client.address() + "\tclient\n"), Files.readString(web.hosts()));
            assertFalse(Files.readString(elsewhere.hosts()).contains("web"));
            // the engine bind-mounts the hosts file over /etc/hosts; here a private mount namespace does it
            String body = world.eventually(() -> Sh.out("nsenter", "--net=" + client.netns(), "unshare", "--mount", "sh", "-c",
                    "mount --bind " + client.hosts() + " /etc/hosts && busybox wget -qO- http://web/"));
            assertEquals("found by name", body);

            assertTrue(assertThrows(IllegalArgumentException.class, () -> net.removeNetwork("appnet")).getMessage()
                    .contains("active endpoints"));
            net.detach(client.container());
            assertFalse(Files.readString(web.hosts()).contains("client"), "the departed leave the hosts file");
            net.detach(web.container());
            net.detach(elsewhere.container());
            net.removeNetwork("appnet");
            net.removeNetwork("other");
            assertFalse(Sh.out("ip", "-o", "link").contains(app.bridge()));
            assertEquals(List.of("bridge"), net.networks().all().stream().map(Network::name).toList());
            assertNothingLeft(net);
            return null;
        });
    }

    private Networking.Request request(String name, String network, List<PortMapping> ports) {
        String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        return new Networking.Request(id, name, name, network, ports, world.dir.resolve("bundles").resolve(id));
    }

    /** busybox httpd inside the container's network namespace, serving text on port 80. */
    private void httpd(Attachment a, String text) throws Exception {
        Path www = world.dir.resolve("www-" + a.container().substring(0, 8));
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), text);
        servers.add(new ProcessBuilder("nsenter", "--net=" + a.netns(), "busybox", "httpd", "-f", "-p", "80", "-h", www.toString())
                .redirectErrorStream(true).start());
        world.eventually(() -> Sh.out("nsenter", "--net=" + a.netns(), "busybox", "wget", "-qO-", "http://127.0.0.1/"));
    }

    private static String wget(Attachment from, String url) {
        return Sh.out("nsenter", "--net=" + from.netns(), "busybox", "wget", "-qO-", url);
    }

    /** A Java server in the outside world answers with the client address it sees. */
    private String outsideSeesClientAddress(Attachment client) throws Exception {
        CountDownLatch listening = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> world.outside.call(() -> {
            try (ServerSocket ss = new ServerSocket()) {
                ss.bind(new InetSocketAddress(TestWorld.OUTSIDE_ADDRESS, 9000));
                listening.countDown();
                try (Socket s = ss.accept()) {
                    String from = ((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().getHostAddress();
                    seen.set(from);
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream().write(("HTTP/1.0 200 OK\r\n\r\n" + from).getBytes(StandardCharsets.US_ASCII));
                }
            }
            return null;
        }));
        t.start();
        assertTrue(listening.await(30, TimeUnit.SECONDS));
        String body = wget(client, "http://" + TestWorld.OUTSIDE_ADDRESS + ":9000/");
        t.join();
        assertEquals(seen.get(), body);
        return body;
    }

    /** No veth, no lease, no namespace mount and no nftables table of mini. */
    private void assertNothingLeft(Networking net) throws Exception {
        String links = Sh.out("ip", "-o", "link");
        assertFalse(links.contains("veth"), links);
        String ruleset = Sh.out("nft", "list", "ruleset");
        assertFalse(ruleset.contains("table ip mini"), ruleset);
        assertEquals(List.of(), net.leases());
        Path netns = world.dir.resolve("run").resolve("netns");
        if (Files.isDirectory(netns)) {
            try (var left = Files.list(netns)) {
                assertEquals(List.of(), left.toList());
            }
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(netns.toString()));
    }
}
