package dev.minidocker.exercises.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ClasspathCheckTest {
    private static final Path OWN = Path.of("/home/student/mini-docker/mini-sys/target/classes");
    private static final Path ROOTS = Path.of("/root/.m2/repository/com/github/jnr/jnr-ffi/2.2.17/jnr-ffi-2.2.17.jar");

    @Test
    void findsTheEntryThisUserCannotRead() {
        assertEquals(Optional.of(ROOTS), ClasspathCheck.firstUnreadable(List.of(OWN, ROOTS), p -> !p.startsWith("/root")));
        assertEquals(Optional.empty(), ClasspathCheck.firstUnreadable(List.of(OWN), p -> true));
    }

    @Test
    void theMessageSaysWhatIsWrongAndWhatToDo() {
        String m = ClasspathCheck.message(ROOTS, "ch04-pivot-root", "student");
        assertTrue(m.startsWith("cannot read " + ROOTS), m);
        assertTrue(m.contains("Maven repository that student cannot read"), m);
        assertTrue(m.contains("sudo ./mini exercise check ch04-pivot-root"), m);
    }
}
