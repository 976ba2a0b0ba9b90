package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class AuthFileTest {
    @TempDir
    Path tmp;

    @Test
    void credentialsAreStoredInTheSharedFormatReadableByTheOwnerOnly() throws Exception {
        Path f = tmp.resolve("containers/auth.json");
        AuthFile a = new AuthFile(f, List.of());
        a.put("127.0.0.1:5000", new AuthFile.Credentials("alice", "s3cr:et"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        String auth = o.getAsJsonObject("auths").getAsJsonObject("127.0.0.1:5000").get("auth").getAsString();
        assertEquals("alice:s3cr:et", new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8));
        assertEquals(new AuthFile.Credentials("alice", "s3cr:et"), a.get("127.0.0.1:5000").orElseThrow());
        assertTrue(a.remove("127.0.0.1:5000"));
        assertTrue(a.get("127.0.0.1:5000").isEmpty());
        assertFalse(a.remove("127.0.0.1:5000"));
    }

    @Test
    void dockersOwnKeyForDockerHubIsRecognisedAndOtherFieldsAreKept() throws Exception {
        Path docker = tmp.resolve("config.json");
        Files.writeString(docker, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)) + "\"}},\"credsStore\":\"x\"}");
        AuthFile a = new AuthFile(tmp.resolve("auth.json"), List.of(docker));
        assertEquals("bob", a.get("docker.io").orElseThrow().user());
        AuthFile same = new AuthFile(docker, List.of());
        same.put("quay.io", new AuthFile.Credentials("c", "d"));
        assertTrue(Files.readString(docker).contains("credsStore"), "a login must not drop what other tools wrote");
    }

    @Test
    void registryAuthFileWinsAsForPodman() {
        AuthFile a = AuthFile.standard(Map.of("HOME", "/home/x", "REGISTRY_AUTH_FILE", "/tmp/elsewhere.json"));
        assertEquals(Path.of("/tmp/elsewhere.json"), a.path());
        assertEquals(Path.of("/home/x/.config/containers/auth.json"), AuthFile.standard(Map.of("HOME", "/home/x")).path());
    }
}
