package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.TestImages;
import dev.minidocker.sys.Privileged;

/** An HTTPS registry whose certificate nothing trusts: refused, unless --tls-verify=false. */
class RegistryTlsTest {
    @TempDir
    Path tmp;

    @Test
    void anUntrustedCertificateIsRefusedUnlessVerificationIsOff() throws Exception {
        Privileged.requireRoot();
        LocalRegistry.requireTools("docker-registry", "skopeo", "openssl");
        Path layout = TestImages.layout(tmp.resolve("layout"), "v1", List.of(
                TestImages.layer(TestImages.files("etc/tls", "over https\n"))));
        try (LocalRegistry r = LocalRegistry.withSelfSignedTls(tmp.resolve("reg"))) {
            String name = r.host() + "/tls/app:v1";
            LocalRegistry.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + name);
            RegistryReference ref = RegistryReference.parse(name);
            ImageStore store = ImageStore.open(tmp.resolve("store"));

            RegistryException refused = assertThrows(RegistryException.class, () -> new ImagePuller(store, null)
                    .pull(ref, Platform.host(), new RegistryClient(ref, true, Optional.empty())));
            assertTrue(refused.getMessage().startsWith("cannot reach registry " + r.host() + ": "), refused.getMessage());
            assertTrue(refused.getMessage().contains("PKIX"), "names the certificate check: " + refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"));

            Image image = new ImagePuller(store, null).pull(ref, Platform.host(), new RegistryClient(ref, false, Optional.empty())).image();
            assertEquals("over https\n", Files.readString(image.layerDirs().get(0).resolve("etc/tls")));
        }
    }
}
