package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.TestImages;
import dev.minidocker.sys.Privileged;

/** Basic (htpasswd) and Bearer (a token server) authentication against a real registry. */
class RegistryAuthTest {
    private static final AuthFile.Credentials ALICE = new AuthFile.Credentials("alice", "wonder-land");
    @TempDir
    Path tmp;
    private Path layout;

    @BeforeEach
    void image() throws Exception {
        Privileged.requireRoot();
        LocalRegistry.requireTools("docker-registry", "skopeo", "htpasswd");
        layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/secret", "behind a login\n"))));
    }

    private Image pull(String name, Optional<AuthFile.Credentials> creds) {
        RegistryReference ref = RegistryReference.parse(name);
        return new ImagePuller(ImageStore.open(tmp.resolve("store")), null)
                .pull(ref, Platform.host(), new RegistryClient(ref, true, creds)).image();
    }

    @Test
    void basicAuthRefusesAnonymousPullsAndAcceptsTheLogin() throws Exception {
        try (LocalRegistry r = LocalRegistry.withBasicAuth(tmp.resolve("reg"), ALICE.user(), ALICE.password())) {
            String name = r.host() + "/private/app:v1";
            LocalRegistry.run("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonder-land",
                    "oci:" + layout + ":v1", "docker://" + name);
            RegistryClient probe = new RegistryClient(RegistryReference.parse(name), true, Optional.empty());
            assertEquals("basic", probe.authScheme());

            RegistryException anonymous = assertThrows(RegistryException.class, () -> pull(name, Optional.empty()));
            assertTrue(anonymous.getMessage().contains("log in with 'mini login " + r.host() + "'"), anonymous.getMessage());
            RegistryException wrong = assertThrows(RegistryException.class,
                    () -> new RegistryClient(RegistryReference.parse(name), true,
                            Optional.of(new AuthFile.Credentials("alice", "guess"))).checkLogin());
            assertTrue(wrong.getMessage().contains("wrong user name or password"), wrong.getMessage());

            new RegistryClient(RegistryReference.parse(name), true, Optional.of(ALICE)).checkLogin();
            Image image = pull(name, Optional.of(ALICE));
            assertEquals("behind a login\n", Files.readString(image.layerDirs().get(0).resolve("etc/secret")));
        }
    }

    @Test
    void bearerTokensAreFetchedFromTheChallengesRealmForTheRepositorysScope() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("tokens"), ALICE.user(), ALICE.password());
             LocalRegistry r = LocalRegistry.withTokenAuth(tmp.resolve("reg"), tokens)) {
            String name = r.host() + "/private/app:v1";
            LocalRegistry.run("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:wonder-land",
                    "oci:" + layout + ":v1", "docker://" + name);
            assertEquals("bearer", new RegistryClient(RegistryReference.parse(name), true, Optional.empty()).authScheme());
            tokens.requests.clear();

            RegistryException anonymous = assertThrows(RegistryException.class, () -> pull(name, Optional.empty()));
            assertTrue(anonymous.getMessage().contains("refused anonymous access: log in with 'mini login " + r.host() + "'"),
                    anonymous.getMessage());
            assertEquals(List.of("repository:private/app:pull (anonymous)"), tokens.requests);

            tokens.requests.clear();
            Image image = pull(name, Optional.of(ALICE));
            assertEquals("behind a login\n", Files.readString(image.layerDirs().get(0).resolve("etc/secret")));
            // one token for the repository's pull scope, reused for the manifest, the config and the layer
            assertEquals(List.of("repository:private/app:pull (with credentials)"), tokens.requests);

            // a push to another repository mounts the blobs from the first: the token must cover both
            tokens.requests.clear();
            ImageStore store = ImageStore.open(tmp.resolve("store"));
            String copy = r.host() + "/private/copy:v1";
            store.tag(image, dev.minidocker.container.image.ImageReference.parse(copy));
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            RegistryReference copyRef = RegistryReference.parse(copy);
            new ImagePusher(store, new java.io.PrintStream(log, true)).push(store.get(copy), copyRef,
                    new RegistryClient(copyRef, true, Optional.of(ALICE)));
            assertTrue(tokens.requests.contains("repository:private/copy:pull,push repository:private/app:pull (with credentials)"),
                    tokens.requests.toString());
            assertEquals(2, log.toString().lines().filter(l -> l.endsWith(": Mounted from private/app")).count(), log.toString());
            LocalRegistry.run("skopeo", "inspect", "--tls-verify=false", "--creds", "alice:wonder-land", "docker://" + copy);
        }
    }
}
