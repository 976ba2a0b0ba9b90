package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class PlatformChoiceTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String D3 = "sha256:" + "3".repeat(64);
    private static final JsonObject INDEX = JsonParser.parseString("{\"manifests\":["
            + "{\"digest\":\"" + D3 + "\",\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"},"
            + "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}},"
            + "{\"digest\":\"" + D1 + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
            + "{\"digest\":\"" + D2 + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}").getAsJsonObject();
    private static final RegistryReference REF = RegistryReference.parse("localhost/app");

    @Test
    void theAskedPlatformIsChosenAndAttestationsAreSkipped() {
        assertEquals(D2, ImagePuller.choosePlatform(INDEX, Platform.parse("linux/amd64"), REF).get("digest").getAsString());
        assertEquals(D1, ImagePuller.choosePlatform(INDEX, Platform.parse("linux/arm64"), REF).get("digest").getAsString());
        assertEquals(D1, ImagePuller.choosePlatform(INDEX, Platform.parse("linux/arm64/v8"), REF).get("digest").getAsString());
    }

    @Test
    void aMissingPlatformIsAnErrorListingWhatIsOffered() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> ImagePuller.choosePlatform(INDEX, Platform.parse("linux/s390x"), REF));
        assertTrue(e.getMessage().contains("no image for linux/s390x (it offers linux/arm64/v8, linux/amd64)"), e.getMessage());
    }

    @Test
    void theHostPlatformIsInGoNames() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            assertEquals("linux/amd64", Platform.host().toString());
        }
        assertThrows(RegistryException.class, () -> Platform.parse("amd64"));
    }
}
