package dev.minidocker.exercises.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.Exercise;
import dev.minidocker.exercises.Workspace;

/** The JUnit XML and JSON reports, from grades made up here (the real grading is ExercisesProofTest's). */
class ReportsTest {
    static final Chapter CH04 = new Chapter(4, "ch04-mount", Path.of("chapters/ch04-mount"), "Mounts");

    static Exercise exercise(String id) {
        return new Exercise(id, "hint", CH04, Path.of("/x/A.java"), "m/src/main/java/A.java", 3, 5);
    }

    static final List<GradedExercise> GRADES = List.of(
            new GradedExercise(exercise("ch04-pivot-root"), Workspace.State.FAILING, new Grader.Result(List.of(), List.of(
                    new TestOutcome("PASS", "MountIsolationTest", "chrooted root process escapes to the host", ""),
                    new TestOutcome("FAIL", "MountIsolationTest", "pivot root defeats the same escape",
                            "expected <CONTAINED> & \"not\" \u001B[31mESCAPED\u001B[0m")), null, 2500)),
            new GradedExercise(exercise("ch04-make-private"), Workspace.State.SOLUTION, new Grader.Result(List.of(), List.of(
                    new TestOutcome("PASS", "MountIsolationTest", "mounts inside do not appear on the host", "")), null, 1000)),
            new GradedExercise(exercise("ch04-broken"), Workspace.State.FAILING, new Grader.Result(
                    List.of("A.java:4: ';' expected"), List.of(), null, 100)),
            new GradedExercise(exercise("ch04-later"), Workspace.State.NOT_STARTED, null));

    @TempDir
    Path dir;

    @Test
    void junitXmlHasASuitePerExerciseAndATestCasePerTest() throws Exception {
        Path file = dir.resolve("out/grades.xml");
        JunitXml.write(file, "ada", GRADES);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("5", root.getAttribute("tests"));
        assertEquals("2", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("skipped"));
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(4, suites.getLength());
        Element pivot = (Element) suites.item(0);
        assertEquals("ch04-pivot-root", pivot.getAttribute("name"));
        assertEquals("2.500", pivot.getAttribute("time"));
        Element failed = (Element) pivot.getElementsByTagName("testcase").item(1);
        assertEquals("ch04-mount.ch04-pivot-root.MountIsolationTest", failed.getAttribute("classname"));
        assertEquals("pivot root defeats the same escape", failed.getAttribute("name"));
        assertEquals("expected <CONTAINED> & \"not\" [31mESCAPED[0m",
                ((Element) failed.getElementsByTagName("failure").item(0)).getAttribute("message"), "escaped, control characters dropped");
        assertTrue(Files.readString(file).contains("<property name=\"solution-shown\" value=\"true\"/>"));
        Element broken = (Element) suites.item(2);
        assertEquals("A.java:4: ';' expected", broken.getElementsByTagName("failure").item(0).getTextContent());
        Element later = (Element) suites.item(3);
        assertEquals("not started: ./mini exercise start ch04-later",
                ((Element) later.getElementsByTagName("skipped").item(0)).getAttribute("message"));
    }

    @Test
    void jsonNamesTheStudentAndEachVerdict() {
        String json = GradesJson.of("ada \"the\" student", GRADES);
        assertTrue(json.contains("\"student\": \"ada \\\"the\\\" student\""), json);
        assertTrue(json.contains("\"passing\": 1,\n  \"total\": 4"), json);
        assertTrue(json.contains("{\"id\": \"ch04-pivot-root\", \"chapter\": \"ch04-mount\", \"verdict\": \"failing\","
                + " \"solutionShown\": false, \"passed\": 1, \"failed\": 1, \"skipped\": 0, \"seconds\": 2.5}"), json);
        assertTrue(json.contains("\"verdict\": \"passing\", \"solutionShown\": true"), json);
        assertTrue(json.contains("\"verdict\": \"does not compile\""), json);
        assertTrue(json.contains("{\"id\": \"ch04-later\", \"chapter\": \"ch04-mount\", \"verdict\": \"not started\", \"solutionShown\": false}"), json);
    }
}
