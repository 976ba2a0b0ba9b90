package dev.minidocker.container.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.minidocker.sys.Privileged;

/**
 * Debian's docker-registry (distribution 2.8), started by a test on 127.0.0.1 with a
 * configuration and storage of its own, and stopped by {@link #close()}. Never the package's service.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private LocalRegistry(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Skips (or fails under MINI_REQUIRE_PRIVILEGED=1) unless the tools are installed. */
    public static void requireTools(String... tools) {
        for (String t : tools) {
            Privileged.require(onPath(t), "needs " + t + " (see .ci/install-packages)");
        }
    }

    /** No authentication. */
    public static LocalRegistry start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** htpasswd Basic authentication with one user (bcrypt made by apache2-utils' htpasswd -B). */
    public static LocalRegistry withBasicAuth(Path dir, String user, String password) throws Exception {
        requireTools("htpasswd");
        Files.createDirectories(dir);
        Path htpasswd = dir.resolve("htpasswd");
        run("htpasswd", "-Bbc", htpasswd.toString(), user, password);
        return start(dir, "auth:\n  htpasswd:\n    realm: mini-test\n    path: " + htpasswd + "\n");
    }

    /** HTTPS with a self-signed certificate for 127.0.0.1 (made by openssl), which nothing trusts. */
    public static LocalRegistry withSelfSignedTls(Path dir) throws Exception {
        requireTools("openssl");
        Files.createDirectories(dir);
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
        return start(dir, "  tls:\n    certificate: " + cert + "\n    key: " + key + "\n");
    }

    /** Bearer tokens issued by {@code tokens} (its realm, service, issuer and certificate). */
    public static LocalRegistry withTokenAuth(Path dir, TokenServer tokens) throws Exception {
        return start(dir, "auth:\n  token:\n    realm: " + tokens.realm() + "\n    service: " + TokenServer.SERVICE
                + "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + tokens.certificate() + "\n");
    }

    /** {@code extra} is YAML that follows {@code http.addr}: more keys of {@code http} (indented), or {@code auth}. */
    private static LocalRegistry start(Path dir, String extra) throws Exception {
        requireTools("docker-registry");
        Files.createDirectories(dir);
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n" + extra);
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        LocalRegistry r = new LocalRegistry(p, dir, port);
        // ready when it accepts connections; a registry that exits says why in its log
        for (int i = 0; ; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return r;
            } catch (IOException notYet) {
                if (!p.isAlive() || i > 300) {
                    r.close();
                    throw new IllegalStateException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** {@code 127.0.0.1:PORT}, as image names spell the registry. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** Where the registry keeps blob data, to corrupt one. */
    public Path blobData(String digestHex) {
        return dir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(digestHex.substring(0, 2))
                .resolve(digestHex).resolve("data");
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static boolean onPath(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool and returns its output, failing the test with the output when it fails. */
    public static String run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out.strip();
    }
}
