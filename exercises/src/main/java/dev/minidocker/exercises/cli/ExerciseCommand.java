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
import dev.minidocker.exercises.Exercise;
import dev.minidocker.exercises.MarkerScanner;
import dev.minidocker.exercises.Project;
import dev.minidocker.exercises.TeachingException;
import dev.minidocker.exercises.Workspace;
import dev.minidocker.exercises.grade.Grader;
import dev.minidocker.exercises.grade.TestOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mini exercise list|start|check|reset|solution}: self-grading exercises. */
@Command(name = "exercise",
        description = {"Self-grading exercises cut from the real sources.",
                "'start ID' copies the code into your workspace with a gap that throws;",
                "fill the gap, then 'check ID' runs the chapter's own tests on your code."})
public final class ExerciseCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;


    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Where your copies live (default: <checkout>/.mini/workspace, or $MINI_WORKSPACE).")
    Path workspaceDir;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        return list();
    }

    @Command(name = "list", description = "Show every exercise per chapter and its state.")
    int list() {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            List<Exercise> all = MarkerScanner.scan(project);
            for (Chapter c : Chapters.discover(project)) {
                out.println(c.label());
                List<Exercise> mine = all.stream().filter(e -> e.chapter().equals(c)).toList();
                if (mine.isEmpty()) {
                    out.println("  (no exercises yet)");
                }
                for (Exercise e : mine) {
                    out.printf("  %-34s %-12s %s%n", e.id(), ws.state(e.id()).words, e.hint());
                }
            }
            out.println();
            out.println("Start one with: ./mini exercise start ID   (workspace: " + project.relative(ws.dir()) + ")");
            return 0;
        });
    }

    @Command(name = "start", description = "Copy this exercise's file into your workspace with its region blanked.")
    int start(@Parameters(paramLabel = "ID") String id) {
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
            out.println("Then:     ./mini exercise check " + id);
            return 0;
        });
    }

    @Command(name = "check", description = "Run the chapter's tests against your workspace and say what passed.")
    int check(@Parameters(paramLabel = "ID") String id) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            List<Exercise> all = MarkerScanner.scan(project);
            Exercise target = find(all, id);
            if (ws.state(id) == Workspace.State.NOT_STARTED) {
                throw new TeachingException(id + " is not started: ./mini exercise start " + id);
            }
            Chapter c = target.chapter();
            out.println("Checking " + id + " with the tests of " + c.label());
            Grader.Result r = new Grader(project).grade(c, ws.sourcesFor(target, all), ws.buildDir());
            if (!r.compiled()) {
                out.println("Your code does not compile:");
                String wsRel = project.relative(ws.dir()) + "/";
                int shown = Math.min(15, r.compileErrors().size());
                r.compileErrors().subList(0, shown).forEach(m -> out.println("  " + wsRel + m.replace("\n", "\n  ")));
                if (shown < r.compileErrors().size()) {
                    out.println("  ... and " + (r.compileErrors().size() - shown) + " more");
                }
                ws.setState(id, Workspace.State.FAILING);
                out.println("Your gap: " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
                return 1;
            }
            print(r);
            if (r.allPassed()) {
                ws.setState(id, ws.state(id) == Workspace.State.SOLUTION ? Workspace.State.SOLUTION : Workspace.State.PASSING);
                out.println("All of " + c.id() + "'s tests pass with your code: " + id + " is done.");
                return 0;
            }
            if (r.count("FAIL") == 0 && r.count("SKIP") > 0) {
                String why = r.tests().stream().filter(TestOutcome::skipped).map(TestOutcome::message)
                        .filter(m -> !m.isBlank()).findFirst().orElse("skipped");
                out.println("Could not check " + id + ": " + r.count("SKIP") + " tests were skipped (" + why + ")."
                        + " Most chapters run real containers or VMs: sudo ./mini exercise check " + id);
                return 1;
            }
            ws.setState(id, Workspace.State.FAILING);
            out.println("Not yet. Your gap: " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
            out.println("Read: " + BookSections.whatToRead(project, target));
            out.println("Test output (containers, stack traces): " + project.relative(r.log()));
            return 1;
        });
    }

    @Command(name = "reset", description = "Put the gap back, discarding your code for this exercise.")
    int reset(@Parameters(paramLabel = "ID") String id) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            Exercise target = find(MarkerScanner.scan(project), id);
            ws.reset(target);
            out.println("reset " + id + ": the gap is back in " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
            return 0;
        });
    }

    @Command(name = "solution", description = "Copy the reference code into your workspace (asks first).")
    int solution(@Parameters(paramLabel = "ID") String id,
                 @Option(names = "--yes", description = "Do not ask (for scripts).") boolean yes) {
        return run(() -> {
            Project project = Project.locate();
            Workspace ws = workspace(project);
            Exercise target = find(MarkerScanner.scan(project), id);
            if (!yes) {
                out.print("This replaces your code for " + id + " with the reference solution. Continue? [y/N] ");
                out.flush();
                Scanner in = new Scanner(System.in);
                String answer = in.hasNextLine() ? in.nextLine().trim() : "";
                if (!answer.equalsIgnoreCase("y") && !answer.equalsIgnoreCase("yes")) {
                    out.println("left your code as it is");
                    return 1;
                }
            }
            ws.solution(target);
            out.println("the reference code for " + id + " is now in " + project.relative(ws.fileOf(target)) + ":" + ws.lineOf(target));
            return 0;
        });
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

    /** Errors become one line on stderr and exit status 1. */
    static int run(Action a) {
        try {
            return a.run();
        } catch (TeachingException e) {
            System.err.println("mini: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("mini: " + e.getMessage());
            return 1;
        }
    }
}
