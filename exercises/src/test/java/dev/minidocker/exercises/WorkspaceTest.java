package dev.minidocker.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
    @TempDir
    Path root;

    Project project;
    Workspace ws;
    List<Exercise> all;
    Path reference;

    @BeforeEach
    void setUp() throws IOException {
        project = MarkerScannerTest.fakeProject(root);
        reference = MarkerScannerTest.source(root, "m/src/main/java/x/A.java", "class A {", "  void f() {",
                "    // exercise:begin ch01-syscalls-one \"one\"", "    one();", "    // exercise:end ch01-syscalls-one",
                "  }", "  void g() {",
                "    // exercise:begin ch02-uts-ipc-two \"two\"", "    two();", "    // exercise:end ch02-uts-ipc-two",
                "  }", "}");
        all = MarkerScanner.scan(project);
        ws = new Workspace(root.resolve(".mini/workspace"));
    }

    @Test
    void startBlanksTheExerciseAndEveryLaterOneNotDone() {
        List<Exercise> blanked = ws.start(all.get(0), all);
        assertEquals(2, blanked.size());
        String text = Workspace.read(ws.fileOf(all.get(0)));
        assertTrue(Skeleton.isBlank(text, "ch01-syscalls-one"));
        assertTrue(Skeleton.isBlank(text, "ch02-uts-ipc-two"));
        assertEquals(Workspace.State.FAILING, ws.state("ch02-uts-ipc-two"));
        assertTrue(Workspace.read(reference).contains("one();"), "the reference is never touched");
    }

    @Test
    void startingLaterKeepsEarlierWorkAndSkipsDoneExercises() throws IOException {
        ws.start(all.get(1), all);
        assertEquals(Workspace.State.NOT_STARTED, ws.state("ch01-syscalls-one"));
        Path f = ws.fileOf(all.get(1));
        Files.writeString(f, Workspace.read(f).replace("if (true) throw", "throw").replaceFirst(
                "    throw new UnsupportedOperationException\\(\"Exercise ch02-uts-ipc-two: two\"\\);", "    mine();"));
        ws.setState("ch02-uts-ipc-two", Workspace.State.PASSING);
        List<Exercise> blanked = ws.start(all.get(0), all);
        assertEquals(List.of(all.get(0)), blanked);
        assertTrue(Workspace.read(f).contains("mine();"), "done work is kept");
    }

    @Test
    void gradingAnExerciseUsesTheReferenceForLaterOnes() {
        ws.start(all.get(0), all);
        Map<String, String> src = ws.sourcesFor(all.get(0), all);
        String text = src.get("m/src/main/java/x/A.java");
        assertTrue(Skeleton.isBlank(text, "ch01-syscalls-one"));
        assertTrue(text.contains("    two();"), text);
    }

    @Test
    void solutionAndResetRoundTrip() {
        ws.start(all.get(0), all);
        ws.solution(all.get(0));
        assertFalse(Skeleton.isBlank(Workspace.read(ws.fileOf(all.get(0))), "ch01-syscalls-one"));
        assertEquals(Workspace.State.SOLUTION, ws.state("ch01-syscalls-one"));
        ws.reset(all.get(0));
        assertTrue(Skeleton.isBlank(Workspace.read(ws.fileOf(all.get(0))), "ch01-syscalls-one"));
        assertEquals(4, ws.lineOf(all.get(0)) + 1);
    }
}
