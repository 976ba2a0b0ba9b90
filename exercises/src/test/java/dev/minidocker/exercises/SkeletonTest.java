package dev.minidocker.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SkeletonTest {
    private static final String TAIL = String.join("\n",
            "class A {",
            "    int add(int a, int b) {",
            "        // exercise:begin ch01-x-add \"return the \\\"sum\\\"\"",
            "        int s = a + b;",
            "        return s;",
            "        // exercise:end ch01-x-add",
            "    }",
            "}", "");

    private static final String MIDDLE = String.join("\n",
            "class B {",
            "    int twice(int a) {",
            "        int r = 0;",
            "        // exercise:begin ch01-x-twice \"double it\"",
            "        r = 2 * a;",
            "        // exercise:end ch01-x-twice",
            "        return r;",
            "    }",
            "}", "");

    @Test
    void regionAtTheEndOfAMethodBecomesAThrowWithTheHint() {
        String out = Skeleton.blank(TAIL, "ch01-x-add");
        assertTrue(out.contains("        // exercise:begin ch01-x-add"), out);
        assertTrue(out.contains("\n        throw new UnsupportedOperationException(\"Exercise ch01-x-add: return the \\\"sum\\\"\");\n"), out);
        assertFalse(out.contains("a + b"), out);
        assertTrue(out.contains("// exercise:end ch01-x-add\n    }\n}\n"), out);
    }

    @Test
    void regionFollowedByStatementsStillCompilesBecauseTheThrowIsGuarded() {
        String out = Skeleton.blank(MIDDLE, "ch01-x-twice");
        assertTrue(out.contains("if (true) throw new UnsupportedOperationException(\"Exercise ch01-x-twice: double it\");"), out);
        assertTrue(out.contains("return r;"), out);
    }

    @Test
    void bodyAndWithBodyRoundTrip() {
        List<String> body = Skeleton.body(TAIL, "ch01-x-add");
        assertEquals(List.of("        int s = a + b;", "        return s;"), body);
        String blank = Skeleton.blank(TAIL, "ch01-x-add");
        assertTrue(Skeleton.isBlank(blank, "ch01-x-add"));
        assertEquals(TAIL, Skeleton.withBody(blank, "ch01-x-add", body));
        assertFalse(Skeleton.isBlank(TAIL, "ch01-x-add"));
    }

    @Test
    void missingMarkersAreOneClearError() {
        String noEnd = TAIL.replace("// exercise:end ch01-x-add", "");
        TeachingException e = assertThrows(TeachingException.class, () -> Skeleton.blank(noEnd, "ch01-x-add"));
        assertTrue(e.getMessage().contains("markers of exercise ch01-x-add are missing"), e.getMessage());
    }
}
