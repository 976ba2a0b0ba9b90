package dev.minidocker.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.net.NetNamespace;
import dev.minidocker.container.net.RouteSocket;
import dev.minidocker.container.net.Rtnetlink;
import dev.minidocker.sys.Privileged;

/**
 * An engine's own network, joined by mini-runc: podman (with netavark) makes the container's
 * network namespace, wires it to its bridge and names its path in config.json; mini-runc only
 * joins it with setns(2). podman runs inside a namespace that plays the host, so its bridge and
 * firewall rules never reach the machine's.
 */
class PodmanNetworkTest {
    private Path dir;
    private NetNamespace host;

    @BeforeEach
    void setUp() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/usr/lib/podman/netavark")),
                "podman and netavark are not installed (apt-get install podman netavark)");
        dir = Files.createTempDirectory(Path.of("/run"), "mini-podman-net-");
        host = NetNamespace.create(dir.resolve("host"));
        host.call(() -> {
            try (RouteSocket s = RouteSocket.open()) {
                Rtnetlink r = new Rtnetlink(s);
                r.setUp(r.index("lo"));
            }
            return null;
        });
        Path rootfs = EngineFixtures.busyboxRootfs(dir);
        Files.createSymbolicLink(rootfs.resolve("bin/ip"), Path.of("busybox"));
        Process tar = new ProcessBuilder("tar", "-C", dir.resolve("rootfs").toString(), "-cf", dir.resolve("rootfs.tar").toString(), ".")
                .inheritIO().start();
        assertEquals(0, tar.waitFor());
        EngineFixtures.Run r = podman("import", dir.resolve("rootfs.tar").toString(), "localhost/mini-bb");
        assertEquals(0, r.code(), r.err());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (dir != null) {
                podman("rm", "-a", "-f");
            }
        } finally {
            if (host != null) {
                host.remove();
            }
            if (dir != null) {
                FileTrees.delete(dir);
            }
        }
    }

    private EngineFixtures.Run podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + host.path(), "podman", "--network-backend", "netavark",
                "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString(),
                "--tmpdir", dir.resolve("tmp").toString(), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
                "--events-backend", "file", "--runtime", EngineFixtures.MINI_RUNC.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MINI_NO_BUILD", "1");
        pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        Files.writeString(dir.resolve("containers.conf"),
                "[engine]\nruntime_supports_json = [\"mini-runc\"]\n[engine.runtimes]\nmini-runc = [\"" + EngineFixtures.MINI_RUNC + "\"]\n"
                        + "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "podman did not finish");
        return new EngineFixtures.Run(p.exitValue(), out, err);
    }

    @Test
    void miniRuncJoinsTheNetworkNamespacePodmanPrepared() throws Exception {
        EngineFixtures.Run r = podman("run", "--rm", "localhost/mini-bb", "sh", "-c",
                "ip -4 -o addr show dev eth0; ip route");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inet 10.88."), "podman's default network, 10.88.0.0/16: " + r.out());
        assertTrue(r.out().contains("default via 10.88.0.1"), r.out());
    }
}
