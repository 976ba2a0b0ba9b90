package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names are completed as docker completes them; nothing here leaves the machine. */
class RegistryReferenceTest {
    private static final String HEX = "4a5b".repeat(16);

    @Test
    void aBareNameIsAnOfficialImageOnDockerHub() {
        RegistryReference r = RegistryReference.parse("ubuntu");
        assertEquals("docker.io", r.registry());
        assertEquals("library/ubuntu", r.repository());
        assertEquals("latest", r.tag());
        assertEquals("registry-1.docker.io", r.apiHost());
        assertEquals("docker.io/library/ubuntu:latest", r.toString());
        assertEquals("ubuntu:latest", r.localName().toString());
    }

    @Test
    void aUserRepositoryStaysOnDockerHubWithoutLibrary() {
        RegistryReference r = RegistryReference.parse("joe/app:1.2");
        assertEquals("docker.io", r.registry());
        assertEquals("joe/app", r.repository());
        assertEquals("1.2", r.tag());
        assertEquals("joe/app:1.2", r.localName().toString());
    }

    @Test
    void aFirstComponentWithADotAPortOrLocalhostIsARegistry() {
        assertEquals("quay.io", RegistryReference.parse("quay.io/coreos/etcd").registry());
        assertEquals("coreos/etcd", RegistryReference.parse("quay.io/coreos/etcd").repository());
        RegistryReference local = RegistryReference.parse("127.0.0.1:5000/test/app:v1");
        assertEquals("127.0.0.1:5000", local.registry());
        assertEquals("test/app", local.repository());
        assertEquals("127.0.0.1:5000", local.apiHost());
        assertTrue(local.isLoopback());
        assertEquals("localhost", RegistryReference.parse("localhost/app").registry());
        assertEquals("app", RegistryReference.parse("localhost/app").repository());
        assertFalse(RegistryReference.parse("quay.io/x").isLoopback());
        assertEquals("docker.io", RegistryReference.parse("index.docker.io/library/busybox").registry());
        assertEquals("library/busybox", RegistryReference.parse("docker.io/busybox").repository());
    }

    @Test
    void aDigestReferenceHasNoTagUnlessOneIsGiven() {
        RegistryReference r = RegistryReference.parse("busybox@sha256:" + HEX);
        assertNull(r.tag());
        assertEquals("sha256:" + HEX, r.manifestReference());
        assertNull(r.localName());
        RegistryReference both = RegistryReference.parse("localhost:5000/app:v2@sha256:" + HEX);
        assertEquals("v2", both.tag());
        assertEquals("sha256:" + HEX, both.manifestReference());
    }

    @Test
    void badNamesAreRefusedWithTheReason() {
        RegistryException upper = assertThrows(RegistryException.class, () -> RegistryReference.parse("Ubuntu"));
        assertTrue(upper.getMessage().contains("invalid repository name 'library/Ubuntu'"), upper.getMessage());
        assertThrows(RegistryException.class, () -> RegistryReference.parse("app:bad tag"));
        assertThrows(dev.minidocker.container.image.ImageException.class, () -> RegistryReference.parse("app@sha256:short"));
    }
}
