package dev.minidocker.container.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Dockerfile's syntax, its variables and .dockerignore: no privileges needed. */
class DockerfileTest {
    @Test
    void continuedLinesAndCommentsMakeOneInstructionAtItsFirstLine() {
        List<Dockerfile.Instruction> l = Dockerfile.parse("Dockerfile", """
                # syntax comment
                from busybox AS base

                RUN echo a \\
                # a comment inside
                    && echo b
                COPY --chown=1:2 --from=base a b /dst/
                CMD ["sh", "-c", "echo hi"]
                """);
        assertEquals(4, l.size());
        assertEquals("FROM", l.get(0).keyword());
        assertEquals(2, l.get(0).line());
        assertEquals(4, l.get(1).line());
        assertEquals("echo a      && echo b", l.get(1).args());
        assertNull(l.get(1).json());
        assertEquals(Map.of("chown", "1:2", "from", "base"), l.get(2).flags());
        assertEquals("a b /dst/", l.get(2).args());
        assertEquals(List.of("sh", "-c", "echo hi"), l.get(3).json());
    }

    @Test
    void anUnknownInstructionNamesItsLine() {
        BuildException e = assertThrows(BuildException.class,
                () -> Dockerfile.parse("Dockerfile", "FROM busybox\n\nONBUILD RUN true\n"));
        assertTrue(e.getMessage().startsWith("Dockerfile:3: unknown or unsupported instruction ONBUILD"), e.getMessage());
        BuildException flag = assertThrows(BuildException.class, () -> Dockerfile.parse("Dockerfile", "COPY --from a b\n"));
        assertTrue(flag.getMessage().startsWith("Dockerfile:1: flag --from needs a value"), flag.getMessage());
    }

    @Test
    void variablesExpandWithDefaultsAndAlternatives() {
        Map<String, String> v = Map.of("A", "1", "EMPTY", "");
        assertEquals("1-1-x-d-$A-", Substitution.expand("$A-${A}-${A:+x}-${EMPTY:-d}-\\$A-$NONE", v));
    }

    @Test
    void wordsKeepQuotedSpaces() {
        assertEquals(List.of("a=b c", "d", "e f"), Dockerfile.words("\"a=b c\" d e\\ f"));
    }

    @Test
    void dockerignoreTheLastMatchDecidesAndCoversDirectories() {
        DockerIgnore i = DockerIgnore.parse("# comment\n*.log\n!keep.log\nbuild/\n**/secret\n");
        assertTrue(i.excludes("a.log"));
        assertFalse(i.excludes("keep.log"));
        assertFalse(i.excludes("dir/a.log")); // * stays in one directory
        assertTrue(i.excludes("build/out/x"));
        assertTrue(i.excludes("deep/er/secret"));
        assertTrue(i.excludes("secret"));
        assertFalse(i.excludes("src/main.c"));
    }

    @Test
    void theCacheKeyChangesWithParentInstructionAndSources() {
        var parent = dev.minidocker.container.image.Digest.of("FROM x");
        var k = Builder.key(parent, "COPY a /", dev.minidocker.container.image.Digest.of("a1"));
        assertEquals(k, Builder.key(parent, "COPY a /", dev.minidocker.container.image.Digest.of("a1")));
        assertFalse(k.equals(Builder.key(parent, "COPY a /", dev.minidocker.container.image.Digest.of("a2"))));
        assertFalse(k.equals(Builder.key(parent, "COPY a /b", dev.minidocker.container.image.Digest.of("a1"))));
        assertFalse(k.equals(Builder.key(dev.minidocker.container.image.Digest.of("FROM y"), "COPY a /",
                dev.minidocker.container.image.Digest.of("a1"))));
    }
}
