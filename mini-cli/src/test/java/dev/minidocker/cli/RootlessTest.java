package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Privileged;

/**
 * Rootless mode, as the user nobody (uid 65534) runs ./mini with a home of its own: uid 0 inside,
 * mapped to nobody outside, the store under $XDG_DATA_HOME, and one line for what needs root.
 * Root only makes the home and becomes nobody (setpriv); everything else is nobody's.
 */
class RootlessTest {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", "..")).toAbsolutePath().normalize();
    private static final int NOBODY = 65534;
    private static Path home;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void asNobody() throws IOException {
        Privileged.requireRoot(); // to become nobody; nobody then needs no privilege at all
        Privileged.require(Integer.parseInt(Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).trim()) > 0,
                "needs unprivileged user namespaces (user.max_user_namespaces is 0)");
        // not a privilege: a checkout under a directory only root may enter (/root) cannot be run by nobody
        for (Path d = PROJECT; d != null; d = d.getParent()) {
            Assumptions.assumeTrue(Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE),
                    "nobody cannot reach the checkout " + PROJECT + " (" + d + " is closed to others)");
        }
        home = Files.createTempDirectory("mini-rootless-home");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Native.libc().lchown(home.toString(), NOBODY, NOBODY);
    }

    @AfterAll
    static void removeHome() throws IOException {
        if (home != null) {
            FileTrees.delete(home); // nothing of the runs stays behind
        }
    }

    static Run mini(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--",
                PROJECT.resolve("mini").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        for (String v : List.of("MINI_ROOT", "MINI_RUN_ROOT", "MINI_DEFAULT_NETWORK", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME")) {
            pb.environment().remove(v);
        }
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        pb.environment().put("MINI_NO_BUILD", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "mini did not finish");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void nobodyIsRootInsideMappedToItselfOutsideWithItsOwnStore() throws Exception {
        Run r = mini("run", "--rm", "busybox", "sh", "-c", "id; cat /proc/self/uid_map; touch /made && stat -c %u /made; hostname");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("uid=0(root) gid=0(root)", lines.get(0));
        assertEquals(List.of("0", "65534", "1"), List.of(lines.get(1).trim().split("\\s+")), "uid 0 inside is nobody outside");
        assertEquals("0", lines.get(2));
        // the default busybox image was made from the host's busybox, into nobody's own store
        Path store = home.resolve("data/mini-docker");
        assertTrue(Files.isDirectory(store.resolve("layers")), r.err());
        try (var files = Files.list(store.resolve("layers"))) {
            assertEquals(NOBODY, (Integer) Files.getAttribute(files.findFirst().orElseThrow(), "unix:uid"),
                    "the unpacked layer is nobody's on the host");
        }
        try (var left = Files.list(store.resolve("containers"))) {
            assertEquals(0, left.count(), "--rm left the container's directory");
        }
    }

    @Test
    void whatNeedsRootIsOneLineSayingWhatToDo() throws Exception {
        Run bridge = mini("run", "--rm", "--network", "bridge", "busybox", "true");
        assertEquals(125, bridge.code());
        assertEquals("mini: rootless: --network bridge needs root (a veth on the host's bridge, nftables NAT): use --network none"
                + " (the default rootless) or host, or run mini as root\n", bridge.err());
        Run limits = mini("run", "--rm", "--memory", "64m", "busybox", "true");
        assertEquals(125, limits.code());
        assertTrue(limits.err().startsWith("mini: rootless: cgroup limits (--memory, --cpus, --pids) need a cgroup v2 subtree"
                + " delegated to you") && limits.err().lines().count() == 1, limits.err());
    }
}
