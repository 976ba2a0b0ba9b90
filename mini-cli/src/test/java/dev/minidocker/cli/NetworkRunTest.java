package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.net.NetNamespace;
import dev.minidocker.container.net.RouteSocket;
import dev.minidocker.container.net.Rtnetlink;
import dev.minidocker.sys.Privileged;

/**
 * {@code mini run --network ... -p ...} end to end, through the real launcher. mini itself runs in
 * a network namespace that plays the host (nsenter --net), so its bridges, veths, nftables table
 * and ip_forward are that namespace's, never the shared machine's.
 */
class NetworkRunTest {
    private Path dir;
    private NetNamespace host;
    private Process web;

    @BeforeEach
    void setUp() throws IOException {
        Privileged.requireRoot();
        dir = Files.createTempDirectory(Path.of("/run"), "mini-cli-net-");
        host = NetNamespace.create(dir.resolve("host"));
        host.call(() -> {
            try (RouteSocket s = RouteSocket.open()) {
                Rtnetlink r = new Rtnetlink(s);
                r.setUp(r.index("lo"));
            }
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (web != null) {
                web.destroyForcibly().waitFor();
            }
        } finally {
            removeWorld();
        }
    }

    private void removeWorld() throws IOException {
        if (host != null) {
            Path netns = dir.resolve("run/netns");
            if (Files.isDirectory(netns)) {
                try (Stream<Path> left = Files.list(netns)) {
                    left.forEach(f -> NetNamespace.at(f).remove());
                }
            }
            host.remove();
        }
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Process start(String... args) throws IOException {
        List<String> prefix = List.of("nsenter", "--net=" + host.path());
        return MiniCommandTest.start(prefix, Map.of("MINI_RUN_ROOT", dir.resolve("run").toString(),
                "MINI_DEFAULT_NETWORK", "bridge"), args);
    }

    private MiniCommandTest.Run mini(String... args) throws Exception {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new MiniCommandTest.Run(p.exitValue(), out, err);
    }

    private String inHost(String... cmd) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("nsenter", "--net=" + host.path()));
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void aContainerGetsEth0OnMini0ADefaultRouteAndTheHostsResolvers() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "busybox", "sh", "-c",
                "ip -4 -o addr show dev eth0; ip route; echo host=$(cat /etc/hostname); grep -c nameserver /etc/resolv.conf");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inet 10.66.0.2/24"), r.out());
        assertTrue(r.out().contains("default via 10.66.0.1 dev eth0"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("host=[0-9a-f]{12}")), "the hostname is the short ID: " + r.out());
        assertFalse(inHost("ip", "-o", "link").contains("veth"), "the veth went with the container");
        assertFalse(inHost("nft", "list", "ruleset").contains("table ip mini"));
    }

    @Test
    void publishedPortsNamesContainerAndHostModesAndKillMinusNine() throws Exception {
        mini("network", "rm", "appnet"); // left by an earlier run that failed half-way, if any
        assertEquals(0, mini("network", "create", "appnet").code());
        web = start("run", "--rm", "--name", "web", "--network", "appnet", "-p", "8080:80", "-p", "90",
                "busybox", "sh", "-c", "echo served > /index.html && exec httpd -f -p 80 -h /");
        String ports = "";
        for (int i = 0; i < 100 && !ports.contains("8080"); i++) {
            Thread.sleep(200);
            ports = mini("port", "web").out();
        }
        assertTrue(ports.contains("80/tcp -> 0.0.0.0:8080"), ports);
        assertTrue(ports.contains("90/tcp -> 0.0.0.0:"), ports);
        String ps = mini("ps").out();
        assertTrue(ps.lines().anyMatch(l -> l.endsWith(" web") && l.contains("0.0.0.0:8080->80/tcp, 0.0.0.0:")), ps);
        String fromHost = "";
        for (int i = 0; i < 50 && !fromHost.equals("served\n"); i++) {
            fromHost = inHost("busybox", "wget", "-qO-", "http://127.0.0.1:8080/");
            Thread.sleep(100);
        }
        assertEquals("served\n", fromHost);

        MiniCommandTest.Run byName = mini("run", "--rm", "--network", "appnet", "busybox", "wget", "-qO-", "http://web/");
        assertEquals("served\n", byName.out(), byName.err());
        MiniCommandTest.Run shared = mini("run", "--rm", "--network", "container:web", "busybox", "wget", "-qO-", "http://127.0.0.1/");
        assertEquals("served\n", shared.out(), shared.err());
        MiniCommandTest.Run hostMode = mini("run", "--rm", "--network", "host", "busybox", "ip", "-o", "link");
        assertTrue(hostMode.out().contains("mini-"), "the host's own links, appnet's bridge among them: " + hostMode.out());
        MiniCommandTest.Run none = mini("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net");
        assertEquals("lo\n", none.out(), none.err());

        // kill -9 of the mini that runs web: its container dies with it, the next command takes the rest back
        assertTrue(inHost("ip", "-o", "link").contains("veth"));
        long holder = holderPid();
        web.destroyForcibly().waitFor();
        for (int i = 0; i < 100 && alive(holder); i++) {
            Thread.sleep(50); // the container's PID 1 gets its SIGKILL (PR_SET_PDEATHSIG) a moment later
        }
        MiniCommandTest.Run next = mini("network", "ls");
        assertEquals(0, next.code(), next.err());
        assertFalse(inHost("ip", "-o", "link").contains("veth"), inHost("ip", "-o", "link"));
        assertFalse(inHost("nft", "list", "ruleset").contains("table ip mini"));
        try (Stream<Path> leases = Files.list(dir.resolve("run/net/leases"))) {
            assertEquals(List.of(), leases.toList());
        }
        assertEquals(0, mini("network", "rm", "appnet").code());
    }

    /** The process web's lease follows: its PID 1. */
    private long holderPid() throws IOException {
        try (Stream<Path> leases = Files.list(dir.resolve("run/net/leases"))) {
            String json = Files.readString(leases.findFirst().orElseThrow());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"holderPid\": (\\d+)").matcher(json);
            assertTrue(m.find(), json);
            return Long.parseLong(m.group(1));
        }
    }

    private static boolean alive(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String s = Files.readString(stat);
            return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void parallelRunsGetDifferentAddresses() throws Exception {
        // separate mini processes: the lease file's lock, not a lock of one JVM, keeps them apart
        List<Process> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(start("run", "--rm", "busybox", "sh", "-c", "ip -4 -o addr show dev eth0; sleep 1"));
        }
        java.util.Set<String> addresses = new java.util.HashSet<>();
        for (Process p : runs) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("inet (10\\.66\\.0\\.\\d+)/24").matcher(out);
            assertTrue(m.find(), out);
            addresses.add(m.group(1));
        }
        assertEquals(4, addresses.size(), addresses.toString());
        assertFalse(inHost("ip", "-o", "link").contains("veth"));
    }

    @Test
    void rmMinusFTakesTheNetworkBackToo() throws Exception {
        mini("rm", "-f", "victim"); // a run of this test that was killed may have left it in the shared test root
        web = start("run", "--name", "victim", "-p", "8090:80", "busybox", "sleep", "600");
        String ps = "";
        for (int i = 0; i < 600 && !ps.contains("victim"); i++) { // up to 2 minutes on a loaded machine
            if (!web.isAlive()) {
                fail("mini run exited " + web.exitValue() + ": " + new String(web.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
            ps = mini("ps").out();
        }
        assertTrue(ps.contains("0.0.0.0:8090->80/tcp"), ps);
        MiniCommandTest.Run rm = mini("rm", "-f", "victim");
        assertEquals(0, rm.code(), rm.err());
        assertTrue(web.waitFor(60, TimeUnit.SECONDS));
        assertFalse(inHost("ip", "-o", "link").contains("veth"), inHost("ip", "-o", "link"));
        assertFalse(inHost("nft", "list", "ruleset").contains("table ip mini"));
        try (Stream<Path> leases = Files.list(dir.resolve("run/net/leases"))) {
            assertEquals(List.of(), leases.toList());
        }
    }

    @Test
    void badNetworkFlagsGetOneLine() throws Exception {
        MiniCommandTest.Run missing = mini("run", "--rm", "--network", "nosuch", "busybox", "true");
        assertEquals(125, missing.code());
        assertTrue(missing.err().startsWith("mini: network nosuch not found"), missing.err());
        MiniCommandTest.Run publishNone = mini("run", "--rm", "--network", "none", "-p", "80", "busybox", "true");
        assertEquals(125, publishNone.code());
        assertEquals("mini: published ports (-p) need a network of the container's own, not --network none\n", publishNone.err());
        MiniCommandTest.Run hostPublish = mini("run", "--rm", "--network", "host", "-p", "80", "busybox", "true");
        assertEquals(0, hostPublish.code(), hostPublish.err());
        assertEquals("mini: warning: published ports are discarded when using host network mode\n", hostPublish.err());
        MiniCommandTest.Run badPort = mini("run", "--rm", "-p", "8080:80/sctp", "busybox", "true");
        assertEquals(125, badPort.code());
        assertEquals(1, badPort.err().lines().count(), badPort.err());
        assertFalse(inHost("ip", "-o", "link").contains("veth"));
    }
}
