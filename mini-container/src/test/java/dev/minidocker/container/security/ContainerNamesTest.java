package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContainerNamesTest {

    @Test
    void dockersNamesAreValid() {
        for (String ok : new String[] {"web", "web-1", "a", "9lives", "my_app.v2", "A-b_c.d"}) {
            assertEquals(ok, ContainerNames.validate(ok));
        }
    }

    @Test
    void pathsAndOddCharactersAreRefused() {
        for (String bad : new String[] {"../../../../tmp/x", "a/b", "/abs", ".hidden", "-flag", "_x", "", "a b", "a\nb",
                "x".repeat(256), "caf\u00e9"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContainerNames.validate(bad), bad);
            assertTrue(e.getMessage().contains("only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ContainerNames.validate(null));
    }
}
