package dev.minidocker.container.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.minidocker.sys.Syscalls;

/**
 * A small world of network namespaces for the tests, so that they never touch the machine's own
 * links, firewall or sysctls: {@code host} plays the host (mini's bridges, veths and nftables
 * table are made there, ip_forward is switched on there), and {@code outside} plays the rest of
 * the world, reached from the host over a veth pair on 198.51.100.0/24 (TEST-NET-2). The outside
 * has no route to the containers' subnets, so only masqueraded traffic gets an answer.
 */
final class TestWorld implements AutoCloseable {
    static final String HOST_ADDRESS = "198.51.100.1";
    static final String OUTSIDE_ADDRESS = "198.51.100.2";

    final Path dir;
    final NetNamespace host;
    final NetNamespace outside;

    TestWorld() throws IOException {
        dir = Files.createTempDirectory(Path.of("/run"), "mini-net-test-");
        host = NetNamespace.create(dir.resolve("host"));
        outside = NetNamespace.create(dir.resolve("outside"));
        host.call(() -> {
            try (RouteSocket s = RouteSocket.open(); RouteSocket o = outside.openRouteSocket()) {
                Rtnetlink h = new Rtnetlink(s);
                Rtnetlink w = new Rtnetlink(o);
                h.setUp(h.index("lo"));
                h.createVethPair("uplink", "world");
                int fd = outside.openFd();
                try {
                    h.moveToNamespace(h.index("world"), fd);
                } finally {
                    Syscalls.close(fd);
                }
                h.addAddress(h.index("uplink"), Subnet.parseAddress(HOST_ADDRESS), 24);
                h.setUp(h.index("uplink"));
                w.setUp(w.index("lo"));
                w.addAddress(w.index("world"), Subnet.parseAddress(OUTSIDE_ADDRESS), 24);
                w.setUp(w.index("world"));
            }
            return null;
        });
    }

    /** mini's engine state for this world: networks, leases and namespaces in the test's directory. */
    Networking networking() {
        return new Networking(dir.resolve("root"), dir.resolve("run"));
    }

    <T> T inHost(Callable<T> body) {
        return host.call(body);
    }

    /** An HTTP/1.0 GET from a Java socket, in the namespace of the calling thread; returns the body. */
    static String httpGet(String address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 5000);
            s.setSoTimeout(10000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.0\r\nHost: " + address + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? response : response.substring(body + 4);
        }
    }

    /** Retries until body succeeds (a server just started may not listen yet), at most about 10 s. */
    static <T> T eventually(Callable<T> body) throws Exception {
        Exception last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return body.call();
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new IllegalStateException(e);
                Thread.sleep(100);
            }
        }
        throw last;
    }

    @Override
    public void close() throws IOException {
        Path netns = dir.resolve("run").resolve("netns");
        if (Files.isDirectory(netns)) {                 // left by a test that failed half-way
            try (Stream<Path> left = Files.list(netns)) {
                left.forEach(f -> NetNamespace.at(f).remove());
            }
        }
        outside.remove();
        host.remove();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
