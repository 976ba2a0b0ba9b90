package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;

import dev.minidocker.container.image.TestImages;
import dev.minidocker.container.registry.LocalRegistry;
import dev.minidocker.sys.Privileged;

/**
 * pull, push, tag, login, logout, save and image history as a user runs them (the real ./mini),
 * against docker-registry on 127.0.0.1, cross-checked with skopeo and podman.
 */
class MiniRegistryCommandTest {
    @TempDir
    static Path tmp;
    private static LocalRegistry registry;
    private static Path layout;

    @BeforeAll
    static void start() throws Exception {
        Privileged.requireRoot();
        LocalRegistry.requireTools("docker-registry", "skopeo");
        Privileged.require(Files.exists(TestImages.BUSYBOX), "needs busybox-static");
        registry = LocalRegistry.start(tmp.resolve("registry"));
        layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(TestImages.busyboxLayer(),
                TestImages.layer(TestImages.files("etc/message", "pulled by mini, pushed by skopeo\n"))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private static MiniCommandTest.Run mini(Map<String, String> env, String stdin, String... args) throws Exception {
        Process p = MiniCommandTest.start(List.of(), env, args);
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "mini did not finish");
        return new MiniCommandTest.Run(p.exitValue(), out, err);
    }

    private static MiniCommandTest.Run mini(String... args) throws Exception {
        return mini(Map.of(), null, args);
    }

    @Test
    void whatSkopeoPushedMiniPullsAndRuns() throws Exception {
        String name = registry.host() + "/cli/app:v1";
        LocalRegistry.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + name);
        Map<String, String> fresh = Map.of("MINI_ROOT", tmp.resolve("fresh-store").toString());
        MiniCommandTest.Run pull = mini(fresh, null, "pull", name);
        assertEquals(0, pull.code(), pull.err());
        assertEquals(name + "\n", pull.out());
        assertEquals(2, pull.err().lines().filter(l -> l.endsWith(": Pull complete")).count(), pull.err());
        MiniCommandTest.Run run = mini(fresh, null, "run", "--rm", name, "cat", "/etc/message");
        assertEquals(0, run.code(), run.err());
        assertEquals("pulled by mini, pushed by skopeo\n", run.out());
        MiniCommandTest.Run history = mini(fresh, null, "image", "history", name);
        assertEquals(0, history.code(), history.err());
        assertTrue(history.out().startsWith("IMAGE "), history.out());
    }

    @Test
    void whatMiniTaggedAndPushedSkopeoFindsWithTheSameDigest() throws Exception {
        String name = registry.host() + "/cli/busybox:pushed";
        assertEquals(0, mini("run", "--rm", "busybox", "true").code()); // makes the default image
        MiniCommandTest.Run tag = mini("tag", "busybox", name);
        assertEquals(0, tag.code(), tag.err());
        MiniCommandTest.Run push = mini("push", name);
        assertEquals(0, push.code(), push.err());
        String digest = push.err().lines().filter(l -> l.startsWith("pushed: digest: ")).findFirst().orElseThrow()
                .split(" ")[2];
        String skopeo = JsonParser.parseString(LocalRegistry.run("skopeo", "inspect", "--tls-verify=false", "docker://" + name))
                .getAsJsonObject().get("Digest").getAsString();
        assertEquals(skopeo, digest);
    }

    @Test
    void loginStoresCredentialsOnlyTheUserCanReadAndLogoutForgetsThem() throws Exception {
        Path authFile = tmp.resolve("auth/auth.json");
        Map<String, String> env = Map.of("REGISTRY_AUTH_FILE", authFile.toString());
        try (LocalRegistry secured = LocalRegistry.withBasicAuth(tmp.resolve("secured"), "alice", "wonder-land")) {
            String name = secured.host() + "/private/app:v1";
            LocalRegistry.run("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonder-land",
                    "oci:" + layout + ":v1", "docker://" + name);
            MiniCommandTest.Run anonymous = mini(env, null, "pull", name);
            assertEquals(125, anonymous.code());
            assertEquals(1, anonymous.err().lines().count(), anonymous.err());
            assertTrue(anonymous.err().contains("mini login " + secured.host()), anonymous.err());

            MiniCommandTest.Run wrong = mini(env, "guess\n", "login", "-u", "alice", "--password-stdin", secured.host());
            assertEquals(125, wrong.code());
            assertEquals("mini: login to " + secured.host() + " failed: wrong user name or password\n", wrong.err());
            assertFalse(Files.exists(authFile), "a failed login stores nothing");

            MiniCommandTest.Run login = mini(env, "wonder-land\n", "login", "-u", "alice", "--password-stdin", secured.host());
            assertEquals(0, login.code(), login.err());
            assertEquals("Login Succeeded!\n", login.out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(authFile)));
            // skopeo reads the same file: the format is the shared one
            LocalRegistry.run("skopeo", "inspect", "--tls-verify=false", "--authfile", authFile.toString(), "docker://" + name);

            MiniCommandTest.Run pull = mini(env, null, "pull", name);
            assertEquals(0, pull.code(), pull.err());

            MiniCommandTest.Run logout = mini(env, null, "logout", secured.host());
            assertEquals("Removed login credentials for " + secured.host() + "\n", logout.out());
            assertFalse(Files.readString(authFile).contains(secured.host()), Files.readString(authFile));
        }
    }

    @Test
    void whatMiniSavedPodmanLoadsAndRuns() throws Exception {
        Privileged.require(LocalRegistry.onPath("podman") && LocalRegistry.onPath("runc"), "needs podman and runc");
        String name = registry.host() + "/cli/saved:v1";
        LocalRegistry.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + name);
        assertEquals(0, mini("pull", name).code());
        for (String format : List.of("docker-archive", "oci-archive")) {
            Path archive = tmp.resolve("saved-" + format + ".tar");
            MiniCommandTest.Run save = mini("save", "--format", format, "-o", archive.toString(), name);
            assertEquals(0, save.code(), save.err());
            Path podmanRoot = Files.createTempDirectory(Path.of("/tmp"), "podman"); // its runroot path must be short
            List<String> podman = List.of("podman", "--root", podmanRoot.resolve("root").toString(),
                    "--runroot", podmanRoot.resolve("run").toString(), "--storage-driver", "vfs",
                    "--cgroup-manager", "cgroupfs", "--events-backend", "file");
            try {
                run(podman, "load", "-i", archive.toString());
                String out = run(podman, "run", "--rm", "--runtime", "runc", "--network", "none",
                        "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", name, "cat", "/etc/message");
                assertEquals("pulled by mini, pushed by skopeo", out, format);
            } finally {
                run(podman, "rmi", "-a", "-f");
                LocalRegistry.run("rm", "-rf", podmanRoot.toString());
            }
        }
    }

    @Test
    void badNamesAndUnreachableRegistriesAreOneLine() throws Exception {
        MiniCommandTest.Run bad = mini("pull", "Not/Valid");
        assertEquals(125, bad.code());
        assertEquals("mini: invalid repository name 'Not/Valid' in 'Not/Valid': use lower-case letters, digits, '.', '_', '-' and '/'\n",
                bad.err());
        MiniCommandTest.Run closed = mini("pull", "127.0.0.1:1/nothing:here");
        assertEquals(125, closed.code());
        assertEquals(1, closed.err().lines().count(), closed.err());
        assertTrue(closed.err().startsWith("mini: cannot reach registry 127.0.0.1:1: "), closed.err());
        assertEquals(0, mini("run", "--rm", "busybox", "true").code()); // makes the default image
        String id = mini("images").out().lines().filter(l -> l.startsWith("busybox ")).findFirst().orElseThrow().split("\\s+")[2];
        MiniCommandTest.Run byId = mini("push", id);
        assertEquals(125, byId.code());
        assertEquals("mini: push takes a tag of a local image, not '" + id + "': name it first with 'mini tag " + id
                + " REGISTRY/REPOSITORY:TAG'\n", byId.err());
    }

    private static String run(List<String> prefix, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out.strip();
    }
}
