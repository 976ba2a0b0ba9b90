package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Plain HTTP only for the loopback host or when the user turned TLS verification off. */
class SchemeChoiceTest {
    @Test
    void aRemoteRegistryIsSpokenToOverHttpsOnly() {
        RegistryReference remote = RegistryReference.parse("quay.io/app");
        assertEquals(List.of("https"), RegistryClient.schemes(remote.isLoopback(), remote.isLoopback()));
        assertEquals(List.of("https"), RegistryClient.schemes(false, false));
    }

    @Test
    void withVerificationOffHttpsComesFirstThenPlainHttp() {
        assertEquals(List.of("https", "http"), RegistryClient.schemes(false, true));
    }

    @Test
    void theLoopbackHostMayUsePlainHttpFirst() {
        for (String name : List.of("localhost/app", "127.0.0.1:5000/app", "localhost:5000/app")) {
            RegistryReference r = RegistryReference.parse(name);
            assertEquals(List.of("http", "https"), RegistryClient.schemes(r.isLoopback(), true), name);
        }
    }
}
