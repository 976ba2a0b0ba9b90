package dev.minidocker.container.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void aBearerChallengeGivesRealmServiceAndScope() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/ubuntu:pull\"");
        assertTrue(c.isBearer());
        assertEquals("https://auth.docker.io/token", c.param("realm"));
        assertEquals("registry.docker.io", c.param("service"));
        assertEquals("repository:library/ubuntu:pull", c.param("scope"));
    }

    @Test
    void aScopeWithCommasInsideQuotesStaysWhole() {
        Challenge c = Challenge.parse("Bearer realm=\"http://127.0.0.1:1/token\", scope=\"repository:a/b:pull,push\", error=\"insufficient_scope\"");
        assertEquals("repository:a/b:pull,push", c.param("scope"));
        assertEquals("insufficient_scope", c.param("error"));
    }

    @Test
    void aBasicChallengeHasARealm() {
        Challenge c = Challenge.parse("Basic realm=\"mini-test\"");
        assertTrue(c.isBasic());
        assertEquals("mini-test", c.param("realm"));
    }
}
