package dev.minidocker.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.minidocker.exercises.grade.Grader;
import dev.minidocker.exercises.grade.TestOutcome;
import dev.minidocker.sys.Privileged;

/**
 * The both-directions proof, over the real checkout: for every chapter, its tests pass on the
 * reference code; for every exercise, the skeleton (that region blanked, nothing else) compiles
 * and fails at least one of its chapter's tests. An exercise whose tests still pass without its
 * code fails here: those tests assert nothing about it.
 */
class ExercisesProofTest {
    private static final Project PROJECT = Project.locate();
    private static final Path WORK = Path.of("target", "proof").toAbsolutePath();
    private static final List<String> TIMINGS = new ArrayList<>();
    private static final long START = System.nanoTime();

    @TestFactory
    Stream<DynamicNode> referencePassesAndEverySkeletonFails() {
        List<Exercise> all = MarkerScanner.scan(PROJECT);
        Grader grader = new Grader(PROJECT);
        return Chapters.discover(PROJECT).stream()
                .filter(c -> all.stream().anyMatch(e -> e.chapter().equals(c)))
                .map(c -> {
                    List<DynamicNode> tests = new ArrayList<>();
                    tests.add(DynamicTest.dynamicTest(c.id() + ": the reference passes every test", () -> {
                        Grader.Result r = grader.grade(c, Map.of(), WORK.resolve(c.id() + "-reference"));
                        TIMINGS.add(String.format("%-40s %6.1f s  %d tests", c.id() + " reference", r.millis() / 1e3, r.tests().size()));
                        if (r.count("FAIL") > 0) {
                            // One more run tells a timing-sensitive chapter test on a busy machine from a real
                            // failure; the chapter's own module reports the flaky test either way.
                            String first = describe(r.tests().stream().filter(TestOutcome::failed).toList());
                            r = grader.grade(c, Map.of(), WORK.resolve(c.id() + "-reference-again"));
                            TIMINGS.add(String.format("%-40s %6.1f s  (again after: %s)", c.id() + " reference", r.millis() / 1e3, first));
                        }
                        assertFalse(r.tests().isEmpty(), c.id() + " has no tests to grade its exercises with");
                        requireNoSkips(c.id() + " reference", r);
                        List<TestOutcome> failed = r.tests().stream().filter(TestOutcome::failed).toList();
                        assertTrue(failed.isEmpty(), c.id() + ": the reference fails " + describe(failed)
                                + " (output: " + r.log() + ")");
                    }));
                    for (Exercise e : all.stream().filter(x -> x.chapter().equals(c)).toList()) {
                        tests.add(DynamicTest.dynamicTest(e.id() + ": the skeleton compiles and fails a test", () -> {
                            String skeleton = Skeleton.blank(Workspace.read(e.source()), e.id());
                            Grader.Result r = grader.grade(c, Map.of(e.relative(), skeleton), WORK.resolve(e.id()));
                            TIMINGS.add(String.format("%-40s %6.1f s", e.id(), r.millis() / 1e3));
                            if (!r.compiled()) {
                                fail(e.id() + ": the skeleton does not compile, so a learner could not start it;"
                                        + " a region must be whole statements and declare nothing used after it ("
                                        + e.relative() + ":" + e.beginLine() + "):\n  " + String.join("\n  ", r.compileErrors()));
                            }
                            if (r.count("FAIL") == 0) {
                                requireNoSkips(e.id() + " skeleton", r);
                                fail(e.id() + ": every test of " + c.id() + " still passes with the region removed ("
                                        + e.relative() + ":" + e.beginLine() + "): the tests assert nothing about it");
                            }
                        }));
                    }
                    return (DynamicNode) DynamicContainer.dynamicContainer(c.label(), tests);
                });
    }

    /**
     * The learner's path through the first exercise: start (which blanks that exercise only), check
     * fails, the solution goes in, check passes, and a later exercise left unfinished changes nothing.
     */
    @Test
    void aLearnerStartsTheFirstExerciseSeesItFailThenPass() throws Exception {
        List<Exercise> all = MarkerScanner.scan(PROJECT);
        org.junit.jupiter.api.Assumptions.assumeFalse(all.isEmpty(), "no exercises yet");
        Exercise first = all.get(0);
        Workspace ws = new Workspace(WORK.resolve("learner"));
        Grader.deleteTree(ws.dir());
        assertTrue(ws.start(first));
        assertEquals(List.of(first.relative()), ws.files(), "start copies only the started exercise's file");
        Grader grader = new Grader(PROJECT);
        Grader.Result before = grader.grade(first.chapter(), ws.sourcesFor(first, all), ws.buildDir());
        assertTrue(before.compiled(), "the fresh workspace does not compile: " + before.compileErrors());
        requireNoSkips(first.id() + " learner", before);
        assertTrue(before.count("FAIL") > 0, "the fresh workspace already passes " + first.id());
        ws.solution(first);
        Exercise last = all.get(all.size() - 1);
        assertTrue(ws.start(last));
        assertTrue(ws.sourcesFor(first, all).get(last.relative()).contains(
                String.join("\n", Skeleton.body(Workspace.read(last.source()), last.id()))),
                "grading " + first.id() + " uses the reference code of the unfinished " + last.id());
        // the second check goes through the command, as a learner or an autograder runs it
        Path xml = WORK.resolve("learner-junit.xml");
        int rc = new picocli.CommandLine(new dev.minidocker.exercises.cli.ExerciseCommand())
                .execute("--workspace", ws.dir().toString(), "check", first.id(), "--junit-xml", xml.toString());
        assertEquals(0, rc, "with the solution in, ./mini exercise check " + first.id() + " still fails (its output is above)");
        org.w3c.dom.Element suites = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(xml.toFile()).getDocumentElement();
        assertEquals("0", suites.getAttribute("failures"), "the JUnit XML of a passing check");
        assertTrue(Integer.parseInt(suites.getAttribute("tests")) > 0, "the JUnit XML lists the chapter's tests");
        assertEquals(Workspace.State.SOLUTION, ws.state(first.id()));
    }

    /** What a learner gets after starting every exercise: every region blanked at once. */
    @Test
    void theSkeletonWithEveryExerciseBlankedCompiles() throws Exception {
        List<Exercise> all = MarkerScanner.scan(PROJECT);
        Map<String, String> sources = new java.util.TreeMap<>();
        for (Exercise e : all) {
            String text = sources.getOrDefault(e.relative(), Workspace.read(e.source()));
            sources.put(e.relative(), Skeleton.blank(text, e.id()));
        }
        List<Path> classpath = new ArrayList<>();
        for (Chapter c : Chapters.discover(PROJECT)) {
            for (Path p : dev.minidocker.exercises.grade.ChapterBuild.classpath(PROJECT, c)) {
                if (!classpath.contains(p)) {
                    classpath.add(p);
                }
            }
        }
        Path work = WORK.resolve("all-blank");
        Grader.deleteTree(work);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> en : sources.entrySet()) {
            Path f = work.resolve("src").resolve(en.getKey());
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.writeString(f, en.getValue());
            files.add(f);
        }
        dev.minidocker.exercises.grade.SourceCompiler.Result r =
                dev.minidocker.exercises.grade.SourceCompiler.compile(files, classpath, work.resolve("classes"));
        assertTrue(r.ok(), "the skeleton with all " + all.size() + " exercises blanked does not compile:\n  "
                + String.join("\n  ", r.errors()));
    }

    @Test
    void everyChapterHasAtLeastOneExercise() {
        List<Exercise> all = MarkerScanner.scan(PROJECT);
        List<String> without = Chapters.discover(PROJECT).stream()
                .filter(c -> all.stream().noneMatch(e -> e.chapter().equals(c)))
                .map(Chapter::id).toList();
        assertTrue(without.isEmpty(), "chapters without an exercise (mark one region with // exercise:begin ID \"hint\"): "
                + without);
    }

    @AfterAll
    static void printTimings() {
        MarkerScanner.scanAll(PROJECT).waiting().forEach(w -> System.out.println("waiting for its chapter module: " + w));
        System.out.println("exercise proof timings:");
        TIMINGS.forEach(t -> System.out.println("  " + t));
        System.out.printf("  total %.1f s%n", (System.nanoTime() - START) / 1e9);
    }

    private static void requireNoSkips(String what, Grader.Result r) {
        List<TestOutcome> skipped = r.tests().stream().filter(TestOutcome::skipped).toList();
        Privileged.require(skipped.isEmpty(), what + ": tests were skipped, so the proof is incomplete: "
                + describe(skipped));
    }

    private static String describe(List<TestOutcome> tests) {
        return tests.stream().map(t -> t.testClass() + " \"" + t.test() + "\": " + t.message())
                .collect(Collectors.joining("; "));
    }
}
