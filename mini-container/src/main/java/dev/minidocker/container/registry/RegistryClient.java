package dev.minidocker.container.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.minidocker.container.image.Digest;

/**
 * The OCI distribution API over the JDK's HTTP client: {@code GET /v2/} to learn how the registry
 * wants to be spoken to, then manifests and blobs under {@code /v2/REPOSITORY/}.
 *
 * <p>Authentication follows the registry's {@code WWW-Authenticate} challenge: none, Basic (the
 * credentials on every request), or Bearer (the "token dance": ask the challenge's realm for a
 * token for the scope, e.g. {@code repository:library/ubuntu:pull}, and send that token).
 * Redirects are followed by hand so that credentials go only to the registry's own origin,
 * never to the blob storage it redirects to.
 */
public final class RegistryClient {
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final String registry;
    private final String apiHost;
    private final boolean plainHttpAllowed;
    private final boolean loopback;
    private final Optional<AuthFile.Credentials> credentials;
    private final HttpClient http;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile URI base;
    private volatile Challenge challenge;
    /** Blobs larger than this are uploaded in chunks of this size. */
    private long chunkBytes = 64L << 20;

    /** A registry named as in image references ({@code docker.io}, {@code 127.0.0.1:5000}). */
    public RegistryClient(RegistryReference ref, boolean tlsVerify, Optional<AuthFile.Credentials> credentials) {
        this.registry = ref.registry();
        this.apiHost = ref.apiHost();
        this.loopback = ref.isLoopback();
        this.plainHttpAllowed = loopback || !tlsVerify;
        this.credentials = credentials;
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30));
        if (!tlsVerify) {
            b.sslContext(trustingEverything());
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        }
        this.http = b.build();
    }

    public String registry() {
        return registry;
    }

    /** Changes the chunk size of uploads (tests use a small one to see chunks without big blobs). */
    RegistryClient chunkBytes(long bytes) {
        this.chunkBytes = bytes;
        return this;
    }

    // tag::ping[]
    /**
     * {@code GET /v2/}: 200 means no authentication, 401 carries the challenge to answer. Only
     * HTTPS, except that a loopback registry is tried over plain HTTP first (nothing leaves the
     * machine), and with TLS verification off HTTPS is tried first, then plain HTTP.
     */
    public synchronized void connect() {
        if (base != null) {
            return;
        }
        List<String> schemes = schemes(loopback, plainHttpAllowed);
        String last = null;
        for (String scheme : schemes) {
            URI uri = URI.create(scheme + "://" + apiHost + "/v2/");
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                        BodyHandlers.ofInputStream());
                drain(r);
                if (r.statusCode() == 401) {
                    challenge = r.headers().firstValue("WWW-Authenticate").map(Challenge::parse).orElse(null);
                } else if (r.statusCode() / 100 != 2) {
                    // e.g. 400 from a TLS server asked in plain HTTP: try the next scheme
                    last = uri + " answered " + r.statusCode() + " (is " + apiHost + " a registry?)";
                    continue;
                }
                base = URI.create(scheme + "://" + apiHost);
                return;
            } catch (IOException e) {
                last = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while connecting to " + apiHost);
            }
        }
        throw new RegistryException("cannot reach registry " + apiHost + ": " + last
                + (plainHttpAllowed ? "" : " (plain HTTP is tried only for localhost or with --tls-verify=false)"));
    }
    /** Which schemes {@link #connect} tries, in order. */
    static List<String> schemes(boolean loopback, boolean plainHttpAllowed) {
        return loopback ? List.of("http", "https") : plainHttpAllowed ? List.of("https", "http") : List.of("https");
    }
    // end::ping[]

    /** What authentication the registry asked for: "none", "basic" or "bearer". */
    public String authScheme() {
        connect();
        return challenge == null ? "none" : challenge.scheme();
    }

    /**
     * Checks the credentials the way {@code docker login} does: Basic against {@code /v2/}, Bearer
     * by asking the realm for a token with them.
     */
    public void checkLogin() {
        connect();
        if (challenge == null) {
            return; // the registry wants no credentials; storing them does no harm
        }
        if (challenge.isBearer()) {
            token(challenge, List.of());
            return;
        }
        try (Response r = send("GET", base.resolve("/v2/"), Map.of(), null, List.of())) {
            if (r.status() == 401) {
                throw new RegistryException("login to " + registry + " failed: wrong user name or password");
            }
            r.expect(200, "checking the login at " + registry);
        }
    }

    // ---- manifests ----------------------------------------------------------------------------

    /** A manifest or index as the registry sent it, with the digest of its exact bytes. */
    public record Manifest(byte[] bytes, String mediaType, Digest digest, JsonObject json) {
    }

    /** {@code GET /v2/REPO/manifests/REF}; a digest reference is verified against the bytes. */
    public Manifest manifest(String repository, String reference) {
        String what = "manifest " + registry + "/" + repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
        try (Response r = send("GET", api(repository, "manifests/" + reference), Map.of("Accept", MediaTypes.ACCEPT),
                null, List.of(pullScope(repository)))) {
            if (r.status() == 404) {
                throw new RegistryException(what + " not found: check the name and tag (" + r.errors() + ")");
            }
            r.expect(200, "fetching " + what);
            byte[] bytes = r.body.body().readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new RegistryException(what + " is larger than " + MAX_MANIFEST_BYTES + " bytes: refused");
            }
            Digest actual = Digest.of(bytes);
            if (reference.startsWith("sha256:")) {
                Digest.parse(reference).verify(actual, what);
            }
            Optional<String> claimed = r.body.headers().firstValue("Docker-Content-Digest");
            if (claimed.isPresent() && claimed.get().startsWith("sha256:")) {
                Digest.parse(claimed.get()).verify(actual, what + " (as the registry named it)");
            }
            JsonElement json = parseJson(bytes, what);
            JsonObject o = json.getAsJsonObject();
            String type = o.has("mediaType") ? o.get("mediaType").getAsString()
                    : r.body.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").strip();
            if (type.isEmpty()) {
                type = o.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
            }
            if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
                throw new RegistryException(what + " has media type '" + type + "', which mini cannot use"
                        + " (only OCI and Docker v2 schema 2 manifests and indexes)");
            }
            return new Manifest(bytes, type, actual, o);
        } catch (IOException e) {
            throw new RegistryException("fetching " + what + ": " + describe(e));
        }
    }

    /** {@code PUT /v2/REPO/manifests/TAG}: the last step of a push; returns the digest the registry names. */
    public Digest putManifest(String repository, String tag, byte[] bytes, String mediaType) {
        Digest ours = Digest.of(bytes);
        try (Response r = send("PUT", api(repository, "manifests/" + tag), Map.of("Content-Type", mediaType),
                BodyPublishers.ofByteArray(bytes), List.of(pushScope(repository)))) {
            r.expect(201, "pushing the manifest of " + registry + "/" + repository + ":" + tag);
            r.body.headers().firstValue("Docker-Content-Digest")
                    .ifPresent(d -> ours.verify(Digest.parse(d), "manifest as stored by " + registry));
            return ours;
        }
    }

    // ---- blobs --------------------------------------------------------------------------------

    /** A small blob (a config) into memory, verified; {@code size} is the descriptor's, or -1. */
    public byte[] blobBytes(String repository, Digest digest, long size) {
        String what = "blob " + digest.shortHex() + " of " + registry + "/" + repository;
        try (Response r = send("GET", api(repository, "blobs/" + digest), Map.of(), null, List.of(pullScope(repository)))) {
            r.expect(200, "fetching " + what);
            long cap = MAX_MANIFEST_BYTES * 4L; // a config is JSON: a few KB, rarely more than a MB
            byte[] bytes = r.body.body().readNBytes((int) (size >= 0 ? Math.min(size + 1, cap) : cap));
            digest.verify(Digest.of(bytes), what);
            return bytes;
        } catch (IOException e) {
            throw new RegistryException("fetching " + what + ": " + describe(e));
        }
    }

    // tag::download[]
    /**
     * Downloads a blob into {@code target}, hashing on the way: the file is only kept when its
     * digest is the one asked for, and never grows past the size the manifest gave.
     */
    public void downloadBlob(String repository, Digest digest, long size, Path target, LongConsumer progress) {
        String what = "layer " + digest.shortHex() + " of " + registry + "/" + repository;
        try (Response r = send("GET", api(repository, "blobs/" + digest), Map.of(), null, List.of(pullScope(repository)))) {
            r.expect(200, "downloading " + what);
            MessageDigest sha = Digest.newSha256();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = r.body.body(); OutputStream out = Files.newOutputStream(target)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (size >= 0 && total > size) {
                        throw new RegistryException(what + " is larger than the " + size + " bytes its manifest says: refused");
                    }
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                    progress.accept(total);
                }
            }
            digest.verify(Digest.of(sha), what);
        } catch (IOException e) {
            throw new RegistryException("downloading " + what + ": " + describe(e));
        }
    }
    // end::download[]

    /** {@code HEAD /v2/REPO/blobs/DIGEST}: does the registry have it already? */
    public boolean hasBlob(String repository, Digest digest) {
        try (Response r = send("HEAD", api(repository, "blobs/" + digest), Map.of(), null, List.of(pushScope(repository)))) {
            if (r.status() == 404) {
                return false;
            }
            r.expect(200, "checking blob " + digest.shortHex());
            return true;
        }
    }

    /**
     * Asks to mount a blob from another repository of the same registry (no bytes sent). True when
     * mounted; false when the registry would rather have the upload (it then opened one, unused).
     */
    public boolean mountBlob(String repository, Digest digest, String from) {
        URI uri = api(repository, "blobs/uploads/?mount=" + enc(digest.toString()) + "&from=" + enc(from));
        try (Response r = send("POST", uri, Map.of(), BodyPublishers.noBody(),
                List.of(pushScope(repository), pullScope(from)))) {
            return r.status() == 201;
        }
    }

    // tag::upload[]
    /**
     * Uploads a blob: POST opens an upload session; a small blob then goes in one PUT with
     * {@code ?digest=} (monolithic), a larger one in PATCH requests of {@link #chunkBytes} each,
     * with {@code Content-Range}, and a closing PUT. Returns how many requests carried its bytes.
     */
    public int uploadBlob(String repository, Digest digest, Path file) {
        URI location;
        try (Response r = send("POST", api(repository, "blobs/uploads/"), Map.of(), BodyPublishers.noBody(),
                List.of(pushScope(repository)))) {
            r.expect(202, "starting the upload of blob " + digest.shortHex());
            location = r.location().orElseThrow(() -> new RegistryException(registry + " opened an upload but gave no Location"));
        }
        int requests = 0;
        try {
            long size = Files.size(file);
            BodyPublisher last = BodyPublishers.ofFile(file);
            if (size > chunkBytes) {
                byte[] chunk = new byte[(int) chunkBytes];
                try (InputStream in = Files.newInputStream(file)) {
                    long offset = 0;
                    for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0; offset += n, requests++) {
                        try (Response r = send("PATCH", location, Map.of("Content-Type", "application/octet-stream",
                                "Content-Range", offset + "-" + (offset + n - 1)), BodyPublishers.ofByteArray(chunk, 0, n),
                                List.of(pushScope(repository)))) {
                            r.expect(202, "uploading bytes " + offset + "-" + (offset + n - 1) + " of blob " + digest.shortHex());
                            location = r.location().orElse(location); // each answer names where the next chunk goes
                        }
                    }
                }
                last = BodyPublishers.noBody();
            } else {
                requests = 1;
            }
            String sep = location.getRawQuery() == null ? "?" : "&";
            URI put = URI.create(location + sep + "digest=" + enc(digest.toString()));
            try (Response r = send("PUT", put, Map.of("Content-Type", "application/octet-stream"), last,
                    List.of(pushScope(repository)))) {
                r.expect(201, "uploading blob " + digest.shortHex());
            }
        } catch (IOException e) {
            throw new RegistryException("uploading " + file + ": " + describe(e));
        }
        return requests;
    }
    // end::upload[]

    // ---- requests, authentication and redirects -----------------------------------------------

    static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    static String pushScope(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    private URI api(String repository, String rest) {
        connect();
        return base.resolve("/v2/" + repository + "/" + rest);
    }

    /** A response whose body must be closed; status and error text at hand. */
    final class Response implements AutoCloseable {
        final HttpResponse<InputStream> body;

        Response(HttpResponse<InputStream> body) {
            this.body = body;
        }

        int status() {
            return body.statusCode();
        }

        Optional<URI> location() {
            return body.headers().firstValue("Location").map(l -> body.uri().resolve(l));
        }

        void expect(int status, String doing) {
            if (status() == status || (status == 200 && status() / 100 == 2 && status() != 202)) {
                return;
            }
            if (status() == 401 || status() == 403) {
                throw new RegistryException(doing + ": " + registry + " refused access (" + status() + " " + errors() + ")"
                        + (credentials.isEmpty() ? ": log in with 'mini login " + registry + "'" : ": check the login"));
            }
            throw new RegistryException(doing + ": " + registry + " answered " + status() + " " + errors());
        }

        /** The distribution spec's error body: {"errors": [{"code": ..., "message": ...}]}. */
        String errors() {
            try {
                byte[] b = body.body().readNBytes(64 << 10);
                JsonObject o = JsonParser.parseString(new String(b, StandardCharsets.UTF_8)).getAsJsonObject();
                List<String> out = new ArrayList<>();
                o.getAsJsonArray("errors").forEach(e -> out.add(e.getAsJsonObject().get("code").getAsString() + ": "
                        + e.getAsJsonObject().get("message").getAsString()));
                return String.join("; ", out);
            } catch (IOException | RuntimeException e) {
                return "(no error details)";
            }
        }

        @Override
        public void close() {
            drain(body);
        }
    }

    // tag::auth[]
    /** Sends a request, answering one authentication challenge and following redirects. */
    private Response send(String method, URI uri, Map<String, String> headers, BodyPublisher body, List<String> scopes) {
        connect();
        HttpResponse<InputStream> r = sendFollowing(method, uri, headers, body, authorization(challenge, scopes));
        if (r.statusCode() == 401 && r.headers().firstValue("WWW-Authenticate").isPresent()) {
            // a new challenge: a Bearer realm naming the scope it wants, or Basic asking for a user
            Challenge again = Challenge.parse(r.headers().firstValue("WWW-Authenticate").get());
            if (again.isBasic() && credentials.isEmpty()) {
                return new Response(r); // asking again without credentials cannot help: the caller says "log in"
            }
            drain(r);
            List<String> wanted = new ArrayList<>(scopes);
            if (again.isBearer() && !again.param("scope").isEmpty() && !wanted.contains(again.param("scope"))) {
                wanted.add(again.param("scope"));
            }
            tokens.remove(String.join(" ", wanted));
            if (challenge == null || !again.scheme().equals(challenge.scheme())) {
                challenge = again;
            }
            r = sendFollowing(method, uri, headers, body, authorization(again, wanted));
        }
        return new Response(r);
    }

    private String authorization(Challenge c, List<String> scopes) {
        if (c == null) {
            return null;
        }
        if (c.isBasic()) {
            return credentials.map(cr -> "Basic " + cr.basic()).orElse(null);
        }
        if (c.isBearer()) {
            return "Bearer " + token(c, scopes);
        }
        throw new RegistryException(registry + " asks for authentication scheme '" + c.scheme() + "', which mini does not speak");
    }

    /** The token dance: GET REALM?service=S&scope=..., with the user's credentials if there are any. */
    private String token(Challenge c, List<String> scopes) {
        String key = String.join(" ", scopes);
        String cached = tokens.get(key);
        if (cached != null) {
            return cached;
        }
        if (c.param("realm").isEmpty()) {
            throw new RegistryException(registry + " sent a Bearer challenge without a realm");
        }
        StringBuilder q = new StringBuilder(c.param("realm"));
        String sep = q.indexOf("?") < 0 ? "?" : "&";
        if (!c.param("service").isEmpty()) {
            q.append(sep).append("service=").append(enc(c.param("service")));
            sep = "&";
        }
        for (String s : scopes) {
            q.append(sep).append("scope=").append(enc(s));
            sep = "&";
        }
        URI realm = URI.create(q.toString());
        if (!realm.getScheme().equals("https") && !plainHttpAllowed) {
            throw new RegistryException(registry + " names a token realm over plain HTTP (" + realm + "): refused");
        }
        String auth = credentials.map(cr -> "Basic " + cr.basic()).orElse(null);
        HttpResponse<InputStream> r = sendFollowing("GET", realm, Map.of(), null, auth);
        try (Response resp = new Response(r)) {
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new RegistryException("the token server of " + registry + " refused "
                        + (credentials.isPresent() ? "the login: wrong user name or password" : "anonymous access: log in with 'mini login " + registry + "'"));
            }
            resp.expect(200, "asking " + realm.getHost() + " for a token");
            JsonObject o = parseJson(r.body().readNBytes(1 << 20), "token response").getAsJsonObject();
            String token = o.has("token") ? o.get("token").getAsString()
                    : o.has("access_token") ? o.get("access_token").getAsString() : "";
            if (token.isEmpty()) {
                throw new RegistryException("the token server of " + registry + " answered without a token");
            }
            tokens.put(key, token);
            return token;
        } catch (IOException e) {
            throw new RegistryException("reading a token from " + realm.getHost() + ": " + describe(e));
        }
    }
    // end::auth[]

    // tag::redirects[]
    /** Follows redirects; {@code authorization} goes only to the origin it was meant for. */
    private HttpResponse<InputStream> sendFollowing(String method, URI uri, Map<String, String> headers, BodyPublisher body,
                                                    String authorization) {
        URI origin = origin(uri);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .method(method, body != null ? body : BodyPublishers.noBody());
            headers.forEach(b::header);
            if (authorization != null && origin(uri).equals(origin)) {
                b.header("Authorization", authorization);
            }
            HttpResponse<InputStream> r;
            try {
                r = http.send(b.build(), BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new RegistryException(method + " " + uri + ": " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted: " + method + " " + uri);
            }
            int s = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && location.isPresent()
                    && (method.equals("GET") || method.equals("HEAD"))) {
                drain(r);
                uri = uri.resolve(location.get());
                if (!uri.getScheme().equals("https") && !plainHttpAllowed) {
                    throw new RegistryException(registry + " redirected to plain HTTP (" + origin(uri) + "): refused");
                }
                continue;
            }
            return r;
        }
        throw new RegistryException("more than " + MAX_REDIRECTS + " redirects from " + origin + ": refused");
    }
    // end::redirects[]

    private static URI origin(URI u) {
        int port = u.getPort() >= 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
        return URI.create(u.getScheme() + "://" + u.getHost() + ":" + port);
    }

    private static void drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.skip(Long.MAX_VALUE); // lets the connection be reused
        } catch (IOException ignored) {
            // the connection is closed instead
        }
    }

    private static JsonElement parseJson(byte[] bytes, String what) {
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new RegistryException(what + " is not a JSON object");
            }
            return e;
        } catch (RuntimeException e) {
            if (e instanceof RegistryException r) {
                throw r;
            }
            throw new RegistryException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String describe(Exception e) {
        if (e == null) {
            return "no address to try";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** For --tls-verify=false only: accepts any certificate, as the user asked. */
    private static SSLContext trustingEverything() {
        TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {all}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
