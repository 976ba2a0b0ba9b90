package dev.minidocker.container.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A registry with Basic auth that serves one OCI layout and, like registries backed by cloud
 * storage, answers layer requests with a redirect to a separate blob server (another origin:
 * 127.0.0.2 and another port). The blob server records whether credentials reached it,
 * and can stall half-way through a layer so that a test can kill the pull there.
 */
final class FakeRegistry implements AutoCloseable {
    static final String USER = "bob";
    static final String PASSWORD = "builder";
    private final HttpServer api;
    private final HttpServer blobs;
    private final Path layout;
    final List<String> blobServerAuthorizations = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch halfSent = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    volatile boolean stall;

    FakeRegistry(Path layout) throws IOException {
        this.layout = layout;
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        blobs = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        api.createContext("/v2/", this::api);
        blobs.createContext("/storage/", this::blob);
        api.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        blobs.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        api.start();
        blobs.start();
    }

    String host() {
        return "127.0.0.1:" + api.getAddress().getPort();
    }

    private void api(HttpExchange ex) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake\"");
            reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String path = ex.getRequestURI().getPath();
        if (path.equals("/v2/")) {
            reply(ex, 200, "{}".getBytes(StandardCharsets.UTF_8));
        } else if (path.contains("/manifests/")) {
            JsonObject desc = JsonParser.parseString(Files.readString(layout.resolve("index.json"))).getAsJsonObject()
                    .getAsJsonArray("manifests").get(0).getAsJsonObject();
            String digest = desc.get("digest").getAsString();
            ex.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            ex.getResponseHeaders().set("Docker-Content-Digest", digest);
            reply(ex, 200, Files.readAllBytes(blobFile(digest)));
        } else if (path.contains("/blobs/")) {
            String digest = path.substring(path.lastIndexOf('/') + 1);
            byte[] b = Files.readAllBytes(blobFile(digest));
            if (b.length > 0 && (b[0] & 0xff) == 0x1f) { // a gzip layer: off to "cloud storage"
                ex.getResponseHeaders().set("Location", "http://127.0.0.2:" + blobs.getAddress().getPort() + "/storage/" + digest);
                reply(ex, 307, new byte[0]);
            } else {
                reply(ex, 200, b);
            }
        } else {
            reply(ex, 404, new byte[0]);
        }
    }

    private void blob(HttpExchange ex) throws IOException {
        blobServerAuthorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        String digest = ex.getRequestURI().getPath().substring("/storage/".length());
        byte[] b = Files.readAllBytes(blobFile(digest));
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (stall) {
                out.write(b, 0, b.length / 2);
                out.flush();
                halfSent.countDown();
                try {
                    closed.await(2, TimeUnit.MINUTES); // the client is killed meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            out.write(b);
        } catch (IOException clientGone) {
            // the pull was killed mid-transfer: what this server is for
        }
    }

    private Path blobFile(String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        api.stop(0);
        blobs.stop(0);
    }
}
