package dev.minidocker.container.registry;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The other half of the Bearer "token dance", for tests: a token endpoint (JDK HTTP server) that
 * checks Basic credentials and hands out JWTs granting the scopes asked, signed with an RSA key
 * whose self-signed certificate (made by keytool) the registry trusts.
 */
public final class TokenServer implements AutoCloseable {
    static final String SERVICE = "mini-test-registry";
    static final String ISSUER = "mini-test-tokens";

    private final HttpServer server;
    private final PrivateKey key;
    private final String certDer;
    private final Path certPem;
    private final String user;
    private final String password;
    /** Each request's scopes, and whether it carried credentials, in order. */
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    private TokenServer(HttpServer server, PrivateKey key, String certDer, Path certPem, String user, String password) {
        this.server = server;
        this.key = key;
        this.certDer = certDer;
        this.certPem = certPem;
        this.user = user;
        this.password = password;
    }

    /** Grants tokens only to {@code user}:{@code password}. */
    public static TokenServer start(Path dir, String user, String password) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Path ks = dir.resolve("tokens.p12");
        Path pem = dir.resolve("tokens.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        LocalRegistry.run(keytool, "-genkeypair", "-alias", "tokens", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + ISSUER, "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "secret!", "-keypass", "secret!");
        LocalRegistry.run(keytool, "-exportcert", "-rfc", "-alias", "tokens", "-keystore", ks.toString(), "-storepass", "secret!",
                "-file", pem.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "secret!".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("tokens", "secret!".toCharArray());
        Certificate cert = store.getCertificate("tokens");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenServer t = new TokenServer(server, key, Base64.getEncoder().encodeToString(cert.getEncoded()), pem, user, password);
        server.createContext("/token", t::token);
        server.start();
        return t;
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return certPem;
    }

    private void token(HttpExchange ex) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        List<String> scopes = new ArrayList<>();
        String query = ex.getRequestURI().getRawQuery();
        for (String kv : query == null ? new String[0] : query.split("&")) {
            if (kv.startsWith("scope=")) {
                scopes.add(URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
            }
        }
        requests.add(String.join(" ", scopes) + (auth != null ? " (with credentials)" : " (anonymous)"));
        if (!expected.equals(auth)) {
            reply(ex, 401, "{\"details\":\"wrong or missing credentials\"}");
            return;
        }
        try {
            String jwt = jwt(scopes);
            reply(ex, 200, "{\"token\":\"" + jwt + "\",\"expires_in\":300}");
        } catch (Exception e) {
            reply(ex, 500, "{\"details\":\"" + e + "\"}");
        }
    }

    private String jwt(List<String> scopes) throws Exception {
        JsonObject header = new JsonObject();
        header.addProperty("typ", "JWT");
        header.addProperty("alg", "RS256");
        JsonArray x5c = new JsonArray();
        x5c.add(certDer); // the registry checks this certificate against its rootcertbundle
        header.add("x5c", x5c);
        long now = System.currentTimeMillis() / 1000;
        JsonObject claims = new JsonObject();
        claims.addProperty("iss", ISSUER);
        claims.addProperty("sub", user);
        claims.addProperty("aud", SERVICE);
        claims.addProperty("iat", now);
        claims.addProperty("nbf", now - 60);
        claims.addProperty("exp", now + 300);
        claims.addProperty("jti", UUID.randomUUID().toString());
        JsonArray access = new JsonArray();
        for (String s : scopes) {
            String[] p = s.split(":"); // repository:NAME:ACTIONS
            JsonObject a = new JsonObject();
            a.addProperty("type", p[0]);
            a.addProperty("name", p[1]);
            JsonArray actions = new JsonArray();
            for (String action : p[2].split(",")) {
                actions.add(action);
            }
            a.add("actions", actions);
            access.add(a);
        }
        claims.add("access", access);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + url.encodeToString(rsa.sign());
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
