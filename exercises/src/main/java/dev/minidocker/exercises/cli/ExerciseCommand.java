package dev.minidocker.exercises.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Scanner;
import java.util.concurrent.Callable;

import dev.minidocker.exercises.BookSections;
import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.Chapters;
import dev.minidocker.exercises.CoursePlan;
import dev.minidocker.exercises.Exercise;
import dev.minidocker.exercises.MarkerScanner;
import dev.minidocker.exercises.Project;
import dev.minidocker.exercises.TeachingException;
import dev.minidocker.exercises.Workspace;
import dev.minidocker.exercises.grade.ChapterBuild;
import dev.minidocker.exercises.grade.ClasspathCheck;
import dev.minidocker.exercises.grade.GradedExercise;
import dev.minidocker.exercises.grade.Grader;
import dev.minidocker.exercises.grade.GradesJson;
import dev.minidocker.exercises.grade.JunitXml;
import dev.minidocker.exercises.grade.TestOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mini exercise list|start|check|reset|solution}: self-grading exercises. */
@Command(name = "exercise",
        description = {"Self-grading exercises cut from the real sources.",
                "'start ID' copies the code into your workspace with a gap that throws;",
                "fill the gap, then 'check ID' runs the chapter's own tests on your code.",
                "'report' grades every exercise started (JUnit XML for CI and autograders)."})
public final class ExerciseCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;


    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Where your copies live (default: <checkout>/.mini/workspace, or $MINI_WORKSPACE).")
    Path workspaceDir;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        return list(false);
    }

    @Command(name = "list", description = "Show every exercise per chapter: its state, difficulty, expected time and hint.")
    int list(@Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.") boolean help) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            List<Exercise> all = MarkerScanner.scan(project);
            CoursePlan plan = CoursePlan.load(project);
            int idWidth = all.stream().mapToInt(e -> e.id().length()).max().orElse(10);
            int stateWidth = java.util.Arrays.stream(Workspace.State.values()).mapToInt(st -> st.words.length()).max().orElse(12);
            out.printf("  %-" + idWidth + "s  %-" + stateWidth + "s  %s%n", "EXERCISE", "STATE", "LEVEL   TIME");
            for (Chapter c : Chapters.discover(project)) {
                out.println(c.label());
                List<Exercise> mine = all.stream().filter(e -> e.chapter().equals(c)).toList();
                if (mine.isEmpty()) {
                    out.println("  (no exercises yet)");
                }
                for (Exercise e : mine) {
                    String effort = plan.exercise(e).map(x -> String.format("%-6s %3d min", x.difficulty().word(), x.minutes()))
                            .orElse(String.format("%-14s", "(not planned)"));
                    out.printf("  %-" + idWidth + "s  %-" + stateWidth + "s  %s%n", e.id(), ws.state(e.id()).words, effort);
                    wrap(e.hint(), 100 - 6).forEach(l -> out.println("      " + l));
                }
            }
            out.println();
            out.println("Start one with: ./mini exercise start ID   (workspace: " + project.relative(ws.dir()) + ")");
            return 0;
        });
    }

    @Command(name = "start", description = "Copy this exercise's file into your workspace with its region blanked.")
    int start(@Parameters(paramLabel = "ID", description = "The exercise, e.g. ch04-pivot-root (see: ./mini exercise list).") String id,
              @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.") boolean help) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            List<Exercise> all = MarkerScanner.scan(project);
            Exercise target = find(all, id);
            if (ws.state(id) != Workspace.State.NOT_STARTED) {
                out.println(id + " is already started (" + ws.state(id).words + "); your code is kept."
                        + " To start over: ./mini exercise reset " + id);
            }
            if (ws.start(target)) {
                out.println("started  " + id + " (only this one: the other exercises keep the reference code)");
            }
            out.println();
            out.println("Your gap: " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
            out.println("Hint:     " + target.hint());
            out.println("Read:     " + BookSections.whatToRead(project, target));
            out.println("Then:     sudo ./mini exercise check " + id + "   (the tests run real containers or VMs)");
            return 0;
        });
    }

    @Command(name = "check", description = {"Run the chapter's tests against your code for this exercise and say what passed.",
            "Every other exercise's region is graded with the reference code, so each stands on its own.",
            "Exit status 0 when every test passes, 1 otherwise."})
    int check(@Parameters(paramLabel = "ID", description = "The exercise, e.g. ch04-pivot-root.") String id,
              @Option(names = "--junit-xml", paramLabel = "FILE",
                      description = "Also write the result as JUnit XML (what CI systems and autograders read).") Path junitXml,
              @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.") boolean help) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            List<Exercise> all = MarkerScanner.scan(project);
            Exercise target = find(all, id);
            if (ws.state(id) == Workspace.State.NOT_STARTED) {
                throw new TeachingException(id + " is not started: ./mini exercise start " + id);
            }
            out.println("Checking " + id + " with the tests of " + target.chapter().label());
            GradedExercise g = grade(project, ws, all, target);
            if (junitXml != null) {
                JunitXml.write(junitXml, student(null), List.of(g));
            }
            explain(project, ws, g);
            if (junitXml != null) {
                out.println("JUnit XML: " + junitXml);
            }
            return g.passed() ? 0 : 1;
        });
    }

    @Command(name = "report", description = {"Grade every exercise you started, in one report (text, JSON or JUnit XML).",
            "Exercises not started are listed as such (skipped in JUnit XML).",
            "Exit status 0 when no started exercise fails, 1 otherwise."})
    int report(@Option(names = "--student", paramLabel = "NAME",
                       description = "Whose work this is, written into the report (default: $USER).") String student,
               @Option(names = "--junit-xml", paramLabel = "FILE",
                       description = "Write the grades as JUnit XML: a test suite per exercise.") Path junitXml,
               @Option(names = "--json", description = "Print the grades as JSON instead of text.") boolean json,
               @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.") boolean help) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            List<Exercise> all = MarkerScanner.scan(project);
            String who = student(student);
            List<GradedExercise> grades = new java.util.ArrayList<>();
            for (Exercise e : all) {
                if (ws.state(e.id()) == Workspace.State.NOT_STARTED) {
                    grades.add(new GradedExercise(e, Workspace.State.NOT_STARTED, null));
                    continue;
                }
                System.err.println("grading " + e.id() + " with the tests of " + e.chapter().label() + " ...");
                grades.add(grade(project, ws, all, e));
            }
            if (junitXml != null) {
                JunitXml.write(junitXml, who, grades);
            }
            if (json) {
                out.print(GradesJson.of(who, grades));
            } else {
                int idWidth = all.stream().mapToInt(e -> e.id().length()).max().orElse(10);
                out.println("Exercises of " + who + ":");
                for (GradedExercise g : grades) {
                    String counts = g.started() && g.result().compiled()
                            ? String.format("%d passed, %d failed, %d skipped", g.result().count("PASS"),
                                    g.result().count("FAIL"), g.result().count("SKIP")) : "";
                    String shown = g.state() == Workspace.State.SOLUTION ? " (solution shown)" : "";
                    out.println(String.format("  %-" + idWidth + "s  %-16s %s", g.exercise().id(), g.verdict() + shown, counts)
                            .stripTrailing());
                }
                out.println(grades.stream().filter(GradedExercise::passed).count() + " of " + grades.size() + " exercises pass.");
                if (junitXml != null) {
                    out.println("JUnit XML: " + junitXml);
                }
            }
            boolean anyFails = grades.stream().anyMatch(g -> g.started() && !g.passed() && !g.unchecked());
            return anyFails ? 1 : 0;
        });
    }

    /** Grades one started exercise and records its new state in the workspace. */
    private GradedExercise grade(Project project, Workspace ws, List<Exercise> all, Exercise target) throws IOException {
        ClasspathCheck.requireReadable(ChapterBuild.classpath(project, target.chapter()), target.id());
        Grader.Result r = new Grader(project).grade(target.chapter(), ws.sourcesFor(target, all), ws.buildDir());
        Workspace.State before = ws.state(target.id());
        GradedExercise probe = new GradedExercise(target, before, r);
        Workspace.State after = probe.passed() ? (before == Workspace.State.SOLUTION ? before : Workspace.State.PASSING)
                : probe.unchecked() ? before : Workspace.State.FAILING;
        ws.setState(target.id(), after);
        return new GradedExercise(target, after, r);
    }

    /** What {@code check} prints: compiler errors, or each test, then what to do next. */
    private void explain(Project project, Workspace ws, GradedExercise g) {
        Grader.Result r = g.result();
        Exercise target = g.exercise();
        String id = target.id();
        if (!r.compiled()) {
            out.println("Your code does not compile:");
            String wsRel = project.relative(ws.dir()) + "/";
            int shown = Math.min(15, r.compileErrors().size());
            r.compileErrors().subList(0, shown).forEach(m -> out.println("  " + wsRel + m.replace("\n", "\n  ")));
            if (shown < r.compileErrors().size()) {
                out.println("  ... and " + (r.compileErrors().size() - shown) + " more");
            }
            out.println("Your gap: " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
            return;
        }
        print(r);
        if (g.passed()) {
            out.println("All of " + target.chapter().id() + "'s tests pass with your code: " + id + " is done.");
            return;
        }
        if (g.unchecked()) {
            String why = r.tests().stream().filter(TestOutcome::skipped).map(TestOutcome::message)
                    .filter(m -> !m.isBlank()).findFirst().orElse("skipped");
            out.println("Could not check " + id + ": " + r.count("SKIP") + " tests were skipped (" + why + ")."
                    + " Most chapters run real containers or VMs, which need root: sudo ./mini exercise check " + id);
            return;
        }
        out.println("Not yet. Your gap: " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
        out.println("Read: " + BookSections.whatToRead(project, target));
        out.println("Test output (containers, stack traces): " + project.relative(r.log()));
    }

    private static String student(String given) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String user = System.getenv("SUDO_USER");
        if (user == null || user.isBlank()) {
            user = System.getenv("USER");
        }
        return user == null || user.isBlank() ? System.getProperty("user.name") : user;
    }

    @Command(name = "reset", description = {"Put the gap back. Asks first; your code is kept in a backup file it names."})
    int reset(@Parameters(paramLabel = "ID", description = "The exercise, e.g. ch04-pivot-root.") String id,
              @Option(names = "--yes", description = "Do not ask (for scripts); the backup is still made.") boolean yes,
              @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.") boolean help) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            Exercise target = find(MarkerScanner.scan(project), id);
            if (!yes && !confirm("This puts the gap back in " + id + " (your code goes to a backup file). Continue? [y/N] ")) {
                out.println("left your code as it is");
                return 1;
            }
            Path backup = ws.reset(target);
            if (backup != null) {
                out.println("your code for " + id + " is kept in " + project.relative(backup));
            }
            out.println("reset " + id + ": the gap is back in " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
            return 0;
        });
    }

    @Command(name = "solution", description = "Copy the reference code into your workspace (asks first; your code goes to a backup file).")
    int solution(@Parameters(paramLabel = "ID", description = "The exercise, e.g. ch04-pivot-root.") String id,
                 @Option(names = "--yes", description = "Do not ask (for scripts).") boolean yes,
                 @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.") boolean help) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            Exercise target = find(MarkerScanner.scan(project), id);
            if (!yes && !confirm("This replaces your code for " + id + " with the reference solution"
                    + " (yours goes to a backup file). Continue? [y/N] ")) {
                out.println("left your code as it is");
                return 1;
            }
            Path backup = ws.solution(target);
            if (backup != null) {
                out.println("your code for " + id + " is kept in " + project.relative(backup));
            }
            out.println("the reference code for " + id + " is now in " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
            return 0;
        });
    }

    /** Lines of at most {@code width} characters, split at spaces. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** Asks on the terminal; no answer (end of input, as in a script) means no. */
    private boolean confirm(String question) {
        out.print(question);
        out.flush();
        Scanner in = new Scanner(System.in);
        String answer = in.hasNextLine() ? in.nextLine().trim() : "";
        return answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes");
    }

    private void print(Grader.Result r) {
        String lastClass = null;
        for (TestOutcome t : r.tests()) {
            if (!t.testClass().equals(lastClass)) {
                out.println("  " + t.testClass());
                lastClass = t.testClass();
            }
            out.printf("    %-5s %s%n", t.passed() ? "PASS" : t.failed() ? "FAIL" : "SKIP", t.test());
            if (!t.passed() && !t.message().isBlank()) {
                out.println("          " + t.message());
            }
        }
        out.printf("%d passed, %d failed, %d skipped (%.1f s)%n", r.count("PASS"), r.count("FAIL"), r.count("SKIP"),
                r.millis() / 1000.0);
        if (r.tests().isEmpty()) {
            out.println("  (this chapter has no tests)");
        }
    }

    private Workspace workspace(Project project) {
        if (workspaceDir != null) {
            return new Workspace(workspaceDir);
        }
        String env = System.getenv("MINI_WORKSPACE");
        return new Workspace(env != null && !env.isBlank() ? Path.of(env) : project.defaultWorkspace());
    }

    private static Exercise find(List<Exercise> all, String id) {
        return all.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new TeachingException("no exercise named " + id + " (see ./mini exercise list)"));
    }

    interface Action {
        int run() throws IOException;
    }

    /** mini's own failures (as docker's 125): no such exercise, an unreadable class path, a file it cannot write. */
    static final int MINI_FAILED = 125;

    /**
     * Errors become one line on stderr and exit status 125; 1 is kept for "your code does not pass
     * yet" (and "left your code as it is"), so that a script can tell the two apart.
     */
    static int run(Action a) {
        try {
            return a.run();
        } catch (TeachingException | IOException e) {
            System.err.println("mini: " + e.getMessage());
            return MINI_FAILED;
        }
    }
}
