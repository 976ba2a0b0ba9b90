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
import dev.minidocker.exercises.MarkerScannerTestAccess;
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
    void everyExerciseGetsAnAnchorTheGraderCanPointTo() throws IOException {
        Path dir = Files.createDirectories(root.resolve("chapters/ch04-mount"));
        Files.writeString(dir.resolve("pom.xml"), "<project><parent></parent><name>ch04-mount: Mount</name></project>");
        Files.writeString(dir.resolve("course.properties"), "objective.1=o\ndemo.minutes=5\nlab.day=1\nsemester.week=4\n"
                + "exercise.ch04-pivot-root.difficulty=medium\nexercise.ch04-pivot-root.minutes=25\n");
        Chapter c = new Chapter(4, "ch04-mount", dir, "Mount");
        Exercise e = new Exercise("ch04-pivot-root", "pivot, then detach", c, root.resolve("A.java"),
                "mini-container/src/main/java/A.java", 10, 15);
        String section = BookSources.exercisesSection(List.of(e), dev.minidocker.exercises.CoursePlan.load(new Project(root)));
        assertTrue(section.contains("Difficulty: medium, about 25 minutes"), section);
        assertTrue(section.startsWith("[[exercise-ch04-pivot-root]]\n=== Exercise `ch04-pivot-root`\n"), section);
        assertTrue(section.contains("Hint: pivot, then detach +\n4 lines in `mini-container/src/main/java/A.java`"), section);
        assertTrue(section.contains("sudo ./mini exercise check ch04-pivot-root"), section);
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

    static final Chapter CH04 = new Chapter(4, "ch04-mount", Path.of("chapters/ch04-mount"), "Mount namespace");

    @Test
    void aStepThatSaysWhatToLookAtMustPrintSomething() {
        String good = "\n== Chapter 4: Mount namespace\n\n[1] Mount a tmpfs\n    look at: the new mount\n"
                + "   ctr# /mnt/scratch ch04-scratch\n\n[2] Explain\n    nothing to see\n\n=> done\n";
        assertEquals(List.of(), BookSources.transcriptProblems(CH04, good));
        String missing = good.replace("   ctr# /mnt/scratch ch04-scratch\n", "");
        assertEquals(List.of("step [1] (Mount a tmpfs) says what to look at but shows nothing"),
                BookSources.transcriptProblems(CH04, missing));
        String empty = good.replace("   ctr# /mnt/scratch ch04-scratch\n", "   ctr# (no output)\n");
        assertEquals(List.of("step [1] (Mount a tmpfs) says what to look at but its output was empty (ctr# (no output))"),
                BookSources.transcriptProblems(CH04, empty));
        assertEquals(List.of(), BookSources.transcriptProblems(CH04, good.replace("   ctr# /mnt/scratch ch04-scratch\n",
                "    00008000  be 2c 80   mov si, message\n")), "a listing the narrator says is output too");
        assertEquals(List.of("its title line is not \"== Chapter 4: Mount namespace\""),
                BookSources.transcriptProblems(CH04, good.replace("Mount namespace", "mount namespace")));
    }

    @Test
    void objectivesGoUnderTheHeaderAndTheRecapAtTheEnd() {
        String page = "= Chapter 4: Mount\ninclude::_settings.adoc[]\n\n== The problem\n\ntext\n";
        String out = BookSources.withObjectivesAndRecap(page, List.of("explain pivot_root"), "pivot_root [changes] mounts");
        assertTrue(out.startsWith("= Chapter 4: Mount\ninclude::_settings.adoc[]\n\n.In this chapter you learn to\n"
                + "* explain pivot_root\n\n== The problem\n"), out);
        assertTrue(out.endsWith("text\n\n== What you learned\n\nThe demo's last line said it: pass:c[pivot_root [changes\\] mounts]\n\n"
                + "You can now:\n\n* explain pivot_root\n"), out);
    }

    @Test
    void theConclusionIsJoinedWhenTheNarratorWrappedIt() {
        assertEquals("chroot changes lookup; pivot_root changes mounts.",
                BookSources.conclusion("[1] x\n\n=> chroot changes lookup;\n   pivot_root changes mounts.\n"));
    }

    @Test
    void aLongHintIsWrappedToFitThePage() {
        Chapter c = new Chapter(1, "ch01-syscalls", root, "S");
        String hint = "word ".repeat(40).trim();
        Exercise e = new Exercise("ch01-syscalls-one", hint, c, root.resolve("A.java"), "A.java", 2, 4);
        String text = "class A {\n        // exercise:begin ch01-syscalls-one \"" + hint + "\"\n        one();\n"
                + "        // exercise:end ch01-syscalls-one\n}\n";
        String gap = BookSources.studentGap(text, e);
        assertTrue(gap.lines().allMatch(l -> l.length() <= 90), gap);
        assertEquals(40, gap.split("word", -1).length - 1, "every word of the hint is there");
        assertTrue(!gap.contains("one();"), gap);
    }

    @Test
    void aJavadocDrawingLosesItsMargin() {
        String src = "/**\n * <pre>\n * // tag::diagram[]\n * 0x0000 | a |\n *        |   |\n * // end::diagram[]\n */\n";
        assertEquals("0x0000 | a |\n       |   |\n", BookSources.javadocDrawing(src, "diagram", "A.java"));
    }

    @Test
    void theStudentEditionIncludesTheGapNotTheReference() throws Exception {
        Project project = MarkerScannerTestAccess.fakeProject(root);
        Path ref = MarkerScannerTestAccess.source(root, "m/src/main/java/x/A.java", "class A {", "  void f() {",
                "    // tag::f[]", "    // exercise:begin ch01-syscalls-one \"call one\"", "    one();",
                "    // exercise:end ch01-syscalls-one", "    // end::f[]", "  }", "}");
        Path out = Files.createDirectories(root.resolve("book-src"));
        Path page = out.resolve("ch01-syscalls.adoc");
        String include = "include::{sourceroot}/m/src/main/java/x/A.java[tag=f]";
        Files.writeString(page, "[source,java]\n----\n" + include + "\n----\n");
        List<Exercise> all = dev.minidocker.exercises.MarkerScanner.scan(project);
        BookSources.rewriteSourceIncludes(project, out, all, BookSources.Edition.FULL);
        String full = Files.readString(page);
        assertTrue(full.contains("ifndef::backend-html5[]\n[source,java]\n----\n" + include + "\n----\nendif::[]"),
                "the full edition's PDF prints the real file: " + full);
        assertTrue(full.startsWith("ifdef::backend-html5[]\n[source,java]\n----\ninclude::_student/m/src/main/java/x/A.java[tag=f]\n----\n\n"
                + ".The reference code (ch01-syscalls-one): open it once you have tried\n[%collapsible]\n====\n[source,java]\n----\n"
                + include + "\n----\n====\nendif::[]\n"), "its HTML shows the gap, the solution collapsed: " + full);
        Files.writeString(page, "[source,java]\n----\n" + include + "\n----\n");
        BookSources.rewriteSourceIncludes(project, out, all, BookSources.Edition.STUDENT);
        assertTrue(Files.readString(page).contains("include::_student/m/src/main/java/x/A.java[tag=f]"), Files.readString(page));
        String student = Files.readString(out.resolve("_student/m/src/main/java/x/A.java"));
        assertTrue(student.contains("    // exercise:begin ch01-syscalls-one\n    // Your code goes here. Hint: call one\n"
                + "    throw new UnsupportedOperationException(\"Exercise ch01-syscalls-one\");\n    // exercise:end ch01-syscalls-one\n"), student);
        assertTrue(!student.contains("one();") && Files.readString(ref).contains("one();"));
    }
}
