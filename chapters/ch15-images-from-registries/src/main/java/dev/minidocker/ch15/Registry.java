package dev.minidocker.ch15;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution 2.8), started for the demo on 127.0.0.1 with a
 * configuration, storage and htpasswd file of its own in a temporary directory; never the
 * package's own service.
 */
final class Registry implements AutoCloseable {
    private final Process process;
    private final int port;

    private Registry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Basic authentication for one user (the bcrypt line made by apache2-utils' htpasswd -B). */
    static Registry start(Path dir, String user, String password) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path htpasswd = dir.resolve("htpasswd");
        Process h = new ProcessBuilder("htpasswd", "-Bbc", htpasswd.toString(), user, password).redirectErrorStream(true).start();
        String hOut = new String(h.getInputStream().readAllBytes());
        if (h.waitFor() != 0) {
            throw new IllegalStateException("htpasswd failed (apt-get install apache2-utils): " + hOut);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n"
                + "auth:\n  htpasswd:\n    realm: ch15\n    path: " + htpasswd + "\n");
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        Registry r = new Registry(p, port);
        for (int i = 0; ; i++) { // ready when it accepts connections
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

    String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
