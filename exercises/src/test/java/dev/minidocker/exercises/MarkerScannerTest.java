package dev.minidocker.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkerScannerTest {
    @TempDir
    Path root;

    static Project fakeProject(Path root) throws IOException {
        Files.writeString(root.resolve("pom.xml"), "<project><artifactId>mini-docker</artifactId></project>");
        for (String ch : List.of("ch01-syscalls", "ch02-uts-ipc")) {
            Path dir = Files.createDirectories(root.resolve("chapters").resolve(ch));
            Files.writeString(dir.resolve("pom.xml"), "<project><parent></parent><artifactId>" + ch
                    + "</artifactId><name>" + ch + ": Title of " + ch + "</name></project>");
        }
        return new Project(root);
    }

    static Path source(Path root, String rel, String... lines) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void findsExercisesInEveryModuleInChapterOrder() throws IOException {
        Project p = fakeProject(root);
        source(root, "mini-container/src/main/java/x/B.java", "class B { void f() {",
                "  // exercise:begin ch02-uts-ipc-hostname \"set it\"", "  g();", "  // exercise:end ch02-uts-ipc-hostname", "} }");
        source(root, "mini-sys/src/main/java/x/A.java", "class A { void f() {",
                "  // exercise:begin ch01-syscalls-check \"check it\"", "  g();", "  // exercise:end ch01-syscalls-check", "} }");
        source(root, "mini-sys/src/test/java/x/T.java", "// exercise:begin ch01-syscalls-ignored \"tests are not scanned\"");
        List<Exercise> all = MarkerScanner.scan(p);
        assertEquals(List.of("ch01-syscalls-check", "ch02-uts-ipc-hostname"), all.stream().map(Exercise::id).toList());
        Exercise first = all.get(0);
        assertEquals("check it", first.hint());
        assertEquals("mini-sys/src/main/java/x/A.java", first.relative());
        assertEquals(2, first.beginLine());
        assertEquals(4, first.endLine());
        assertEquals("Title of ch01-syscalls", first.chapter().title());
    }

    @Test
    void brokenMarkersAreReportedWithFileAndLine() throws IOException {
        Project p = fakeProject(root);
        source(root, "m/src/main/java/x/A.java", "class A { void f() {",
                "  // exercise:begin ch01-syscalls-a \"a\"", "  g();", "} }");
        TeachingException e = assertThrows(TeachingException.class, () -> MarkerScanner.scan(p));
        assertTrue(e.getMessage().contains("m/src/main/java/x/A.java:2: exercise ch01-syscalls-a has no exercise:end"), e.getMessage());
    }

    @Test
    void exercisesOfAChapterNotYetWrittenWaitForIt() throws IOException {
        Project p = fakeProject(root);
        source(root, "m/src/main/java/x/B.java", "class B { void f() {",
                "  // exercise:begin ch07-kvm-run \"no such chapter yet\"", "  g();", "  // exercise:end ch07-kvm-run", "} }");
        MarkerScanner.Found found = MarkerScanner.scanAll(p);
        assertTrue(found.exercises().isEmpty());
        assertEquals(List.of("m/src/main/java/x/B.java:2: ch07-kvm-run"), found.waiting());
    }

    @Test
    void duplicateIdsAreRejected() throws IOException {
        Project p = fakeProject(root);
        for (String name : List.of("A", "B")) {
            source(root, "m/src/main/java/x/" + name + ".java", "class " + name + " { void f() {",
                    "  // exercise:begin ch01-syscalls-a \"a\"", "  g();", "  // exercise:end ch01-syscalls-a", "} }");
        }
        TeachingException e = assertThrows(TeachingException.class, () -> MarkerScanner.scan(p));
        assertTrue(e.getMessage().contains("is already used at m/src/main/java/x/A.java:2"), e.getMessage());
    }
}
