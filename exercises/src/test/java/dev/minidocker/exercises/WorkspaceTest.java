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
    void startBlanksOnlyTheExerciseStarted() {
        assertTrue(ws.start(all.get(0)));
        String text = Workspace.read(ws.fileOf(all.get(0)));
        assertTrue(Skeleton.isBlank(text, "ch01-syscalls-one"));
        assertFalse(Skeleton.isBlank(text, "ch02-uts-ipc-two"), "a later exercise keeps the reference code");
        assertTrue(text.contains("    two();"), text);
        assertEquals(Workspace.State.NOT_STARTED, ws.state("ch02-uts-ipc-two"));
        assertTrue(Workspace.read(reference).contains("one();"), "the reference is never touched");
    }

    @Test
    void startingALaterExerciseFirstLeavesTheEarlierOneAlone() {
        assertTrue(ws.start(all.get(1)));
        String text = Workspace.read(ws.fileOf(all.get(1)));
        assertTrue(Skeleton.isBlank(text, "ch02-uts-ipc-two"));
        assertFalse(Skeleton.isBlank(text, "ch01-syscalls-one"));
        assertEquals(Workspace.State.NOT_STARTED, ws.state("ch01-syscalls-one"));
    }

    @Test
    void startingAgainKeepsTheLearnersCode() throws IOException {
        ws.start(all.get(1));
        Path f = ws.fileOf(all.get(1));
        Files.writeString(f, Workspace.read(f).replaceFirst(
                "    throw new UnsupportedOperationException\\(\"Exercise ch02-uts-ipc-two: two\"\\);", "    mine();"));
        assertFalse(ws.start(all.get(1)));
        assertTrue(ws.start(all.get(0)));
        String text = Workspace.read(f);
        assertTrue(text.contains("mine();"), text);
        assertTrue(Skeleton.isBlank(text, "ch01-syscalls-one"));
    }

    @Test
    void gradingAnExerciseUsesTheReferenceForEveryOtherOne() {
        ws.start(all.get(1));
        ws.start(all.get(0));
        Map<String, String> forTwo = ws.sourcesFor(all.get(1), all);
        String text = forTwo.get("m/src/main/java/x/A.java");
        assertTrue(Skeleton.isBlank(text, "ch02-uts-ipc-two"));
        assertTrue(text.contains("    one();"), "an unfinished earlier exercise is graded with the reference: " + text);
        String forOne = ws.sourcesFor(all.get(0), all).get("m/src/main/java/x/A.java");
        assertTrue(Skeleton.isBlank(forOne, "ch01-syscalls-one"));
        assertTrue(forOne.contains("    two();"), forOne);
    }

    @Test
    void solutionAndResetRoundTrip() {
        ws.start(all.get(0));
        ws.solution(all.get(0));
        assertFalse(Skeleton.isBlank(Workspace.read(ws.fileOf(all.get(0))), "ch01-syscalls-one"));
        assertEquals(Workspace.State.SOLUTION, ws.state("ch01-syscalls-one"));
        ws.reset(all.get(0));
        assertTrue(Skeleton.isBlank(Workspace.read(ws.fileOf(all.get(0))), "ch01-syscalls-one"));
        assertEquals(4, ws.lineOf(all.get(0)) + 1);
    }

    @Test
    void resetKeepsTheLearnersCodeInABackupItNames() throws IOException {
        ws.start(all.get(0));
        Path f = ws.fileOf(all.get(0));
        Files.writeString(f, Workspace.read(f).replaceFirst(
                "    throw new UnsupportedOperationException\\(\"Exercise ch01-syscalls-one: one\"\\);", "    mine();"));
        Path backup = ws.reset(all.get(0));
        assertTrue(backup.startsWith(ws.backupsDir()) && backup.getFileName().toString().startsWith("ch01-syscalls-one-"), backup.toString());
        assertTrue(Workspace.read(backup).contains("    mine();"));
        assertTrue(Skeleton.isBlank(Workspace.read(f), "ch01-syscalls-one"));
        assertEquals(List.of("m/src/main/java/x/A.java"), ws.files(), "backups are not compiled");
        assertEquals(null, ws.reset(all.get(0)), "an untouched gap needs no backup");
    }
}
