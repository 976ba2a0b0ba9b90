package dev.minidocker.ch15;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.build.Builder;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageReference;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.registry.AuthFile;
import dev.minidocker.container.registry.ImagePuller;
import dev.minidocker.container.registry.ImagePusher;
import dev.minidocker.container.registry.Platform;
import dev.minidocker.container.registry.RegistryClient;
import dev.minidocker.container.registry.RegistryReference;

/**
 * Chapter 15: images from registries and images you build. The demo builds an image from a
 * Dockerfile (each step one layer, a diff with whiteouts), builds it again (every step CACHED),
 * pushes it to a docker-registry it starts on 127.0.0.1 behind Basic authentication, reads the
 * manifest there (digests all the way down), and pulls it into a second store.
 */
public final class Main {
    private Main() {
    }

    static final String DOCKERFILE = """
            FROM busybox
            RUN mkdir /app && echo "built by mini" > /app/message && rm /etc/group
            COPY hello.txt /app/
            ENV GREETING=hello
            CMD ["cat", "/app/message"]
            """;

    public static void main(String[] args) throws Exception {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 15: Images from registries and images you build");
        Demos.requireRootOrExplain(n);
        Path work = Files.createTempDirectory("ch15-");
        Registry registry = null;
        try {
            Path context = context(work);
            Path store = work.resolve("store");
            Image image = build(n, store, context);
            registry = Registry.start(work.resolve("registry"), "student", "s3cret");
            distribute(n, store, image, registry, work.resolve("second-store"));
        } finally {
            if (registry != null) {
                registry.close();
            }
            FileTrees.delete(work);
        }
        n.conclude("an image is content named by digests: a build makes it layer by layer, a registry moves it byte for byte");
    }

    static Path context(Path work) throws IOException {
        Path context = Files.createDirectories(work.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(context.resolve("hello.txt"), "hello from the build context\n");
        return context;
    }

    private static Image build(Narrator n, Path store, Path context) throws IOException {
        n.step("mini build: each instruction a step; RUN is a container, COPY fills a directory",
                "a step that changes files prints the short digest of its layer; ENV and CMD change only the config");
        for (String line : DOCKERFILE.strip().split("\n")) {
            n.host("Dockerfile: " + line);
        }
        ImageReference tag = ImageReference.parse("ch15/demo:1");
        hostLines(n, capture(out -> new Builder(store, out).build(request(context, tag))));
        ImageStore s = ImageStore.open(store);
        Image image = s.get(tag.toString());

        n.step("A layer is a diff: the RUN step's upper directory, as a tar",
                "the deleted /etc/group is an empty file .wh.group: that is how a layer says 'delete' to the layers below");
        List<Digest> layers = s.diffIds(image);
        for (String entry : entries(s.blob(layers.get(1)))) {
            n.host("layer " + layers.get(1).shortHex() + ": " + entry);
        }

        n.step("mini build again, nothing changed", "every step is answered by the cache: no container runs, no layer is made");
        hostLines(n, capture(out -> new Builder(store, out).build(request(context, tag))));
        return image;
    }

    static Builder.Request request(Path context, ImageReference tag) {
        return new Builder.Request(context, context.resolve("Dockerfile"), List.of(tag), java.util.Map.of(), false, null);
    }

    private static void distribute(Narrator n, Path store, Image image, Registry registry, Path second) throws Exception {
        String name = registry.host() + "/ch15/demo:1";
        RegistryReference ref = RegistryReference.parse(name);
        n.step("The ping: GET http://" + registry.host() + "/v2/", "401 and a challenge: the registry wants Basic credentials (a public registry says Bearer and a token realm)");
        HttpResponse<String> ping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/")).build(),
                HttpResponse.BodyHandlers.ofString());
        n.host("HTTP " + ping.statusCode() + ", WWW-Authenticate: " + ping.headers().firstValue("WWW-Authenticate").orElse("(none)"));

        n.step("mini push " + name + " (with the login's credentials)", "blobs first, each named by its digest; the manifest last, under the tag");
        RegistryClient client = new RegistryClient(ref, false, Optional.of(new AuthFile.Credentials("student", "s3cret")));
        ImageStore s = ImageStore.open(store);
        Digest pushed = new ImagePusher(s, new PrintStream(PrintStream.nullOutputStream())).push(image, ref, client);
        n.host("pushed; the registry's manifest digest: " + pushed);

        n.step("The manifest, as the registry serves it", "the config and every layer are named by the SHA-256 of their bytes; the manifest's own digest names the whole image");
        RegistryClient.Manifest m = client.manifest(ref.repository(), ref.tag());
        n.host("Content-Type: " + m.mediaType() + ", " + m.bytes().length + " bytes, sha256 of them: " + Digest.of(m.bytes()));
        JsonObject config = m.json().getAsJsonObject("config");
        n.host("config: " + config.get("digest").getAsString() + " (" + config.get("size").getAsLong() + " bytes) = the image id " + image.id());
        for (JsonElement l : m.json().getAsJsonArray("layers")) {
            JsonObject o = l.getAsJsonObject();
            n.host("layer:  " + o.get("digest").getAsString() + " (" + o.get("size").getAsLong() + " bytes, " + o.get("mediaType").getAsString() + ")");
        }

        n.step("mini pull " + name + " into an empty store", "each blob is hashed as it arrives and refused unless its digest is the manifest's; the same digests give the same image");
        ImageStore fresh = ImageStore.open(second);
        String[] pulledId = new String[1];
        hostLines(n, capture(out -> pulledId[0] = new ImagePuller(fresh, out).pull(ref, Platform.host(),
                new RegistryClient(ref, false, Optional.of(new AuthFile.Credentials("student", "s3cret")))).image().id()));
        n.host("pulled image id " + pulledId[0] + (pulledId[0].equals(image.id()) ? ": the one that was built" : ": NOT the one built"));
    }

    /** What mini printed (on the host), line by line. */
    private static void hostLines(Narrator n, String text) {
        text.lines().forEach(n::host);
    }

    interface Printing {
        void run(PrintStream out) throws Exception;
    }

    static String capture(Printing p) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)) {
            p.run(out);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A layer tar's entries, as tar tvf would list them (type, mode, owner, name). */
    static List<String> entries(Path tar) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = t.getNextTarEntry()) != null; ) {
                out.add((e.isDirectory() ? "d" : e.isSymbolicLink() ? "l" : "-") + " " + String.format("%04o", e.getMode() & 07777)
                        + " " + e.getLongUserId() + ":" + e.getLongGroupId() + " " + e.getName());
            }
        }
        return out;
    }
}
