package dev.minidocker.exercises.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.Exercise;
import dev.minidocker.exercises.Project;

class BookSourcesTest {
    @TempDir
    Path root;

    @Test
    void testsSectionNamesEveryTestInPlainWords() throws IOException {
        Chapter c = new Chapter(3, "ch03-pid", root.resolve("chapters/ch03-pid"), "PID");
        Path test = c.testSources().resolve("dev/minidocker/ch03/PidTest.java");
        Files.createDirectories(test.getParent());
        Files.writeString(test, String.join("\n",
                "class PidTest {",
                "    @BeforeEach void setUp() {}",
                "    @Test",
                "    void processInsideSeesItselfAsPid1() {}",
                "    @Test @DisplayName(\"ps shows two processes\") void twoProcesses() {}",
                "    void helper() {}",
                "}"));
        String section = BookSources.testsSection(new Project(root), c);
        assertTrue(section.startsWith("`PidTest` (chapters/ch03-pid/src/test/java/dev/minidocker/ch03/PidTest.java):"), section);
        assertEquals(List.of("* process inside sees itself as pid 1", "* ps shows two processes"),
                section.lines().filter(l -> l.startsWith("* ")).toList());
    }

    @Test
    void everyExerciseGetsAnAnchorTheGraderCanPointTo() {
        Chapter c = new Chapter(4, "ch04-mount", root, "Mount");
        Exercise e = new Exercise("ch04-pivot-root", "pivot, then detach", c, root.resolve("A.java"),
                "mini-container/src/main/java/A.java", 10, 15);
        String section = BookSources.exercisesSection(List.of(e));
        assertTrue(section.startsWith("[[exercise-ch04-pivot-root]]\n=== Exercise `ch04-pivot-root`\n"), section);
        assertTrue(section.contains("Hint: pivot, then detach +\n4 lines in `mini-container/src/main/java/A.java`"), section);
        assertTrue(section.contains("./mini exercise check ch04-pivot-root"), section);
    }

    @Test
    void proseWrittenBeforeItsChapterModuleWaitsForIt() throws IOException {
        Files.writeString(root.resolve("ch02-uts-ipc.adoc"), "= 2");
        Files.writeString(root.resolve("ch06-images.adoc"), "= 6");
        Files.writeString(root.resolve("index.adoc"), "= index");
        List<String> dropped = BookSources.dropPagesWithoutChapter(root,
                List.of(new Chapter(2, "ch02-uts-ipc", root.resolve("chapters/ch02-uts-ipc"), "UTS")));
        assertEquals(List.of("ch06-images.adoc"), dropped);
        assertTrue(Files.exists(root.resolve("ch02-uts-ipc.adoc")));
        assertTrue(Files.exists(root.resolve("index.adoc")));
    }

    @Test
    void aChapterWithoutProseStillGetsItsTranscriptTestsAndExercises() {
        String page = BookSources.plainPage(new Chapter(9, "ch09-cpu-modes", root, "CPU modes"));
        assertTrue(page.startsWith("= Chapter 9: CPU modes\n"), page);
        for (String include : List.of("_transcripts/ch09-cpu-modes.txt[]", "_generated/ch09-cpu-modes-tests.adoc[]",
                "_generated/ch09-cpu-modes-exercises.adoc[]")) {
            assertTrue(page.contains("include::" + include), include);
        }
    }
}
