package dev.minidocker.exercises.grade;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.platform.launcher.core.LauncherFactory;

import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.Project;
import dev.minidocker.exercises.TeachingException;

/**
 * Grades sources against a chapter's own tests: compiles the given files against the built
 * reference, then runs every test of the chapter in one fresh JVM whose classpath puts the
 * compiled files first. A fresh JVM (rather than a class loader) matters: the container runtime
 * re-executes {@code java} with this JVM's classpath for its init stage, which must see the
 * learner's code too.
 */
public final class Grader {
    private static final long TIMEOUT_MINUTES = 5;

    private final Project project;

    public Grader(Project project) {
        this.project = project;
    }

    /** The outcome: compiler errors, or one line per test. */
    public record Result(List<String> compileErrors, List<TestOutcome> tests, Path log, long millis) {
        public boolean compiled() {
            return compileErrors.isEmpty();
        }

        public boolean allPassed() {
            return compiled() && !tests.isEmpty() && tests.stream().allMatch(TestOutcome::passed);
        }

        public long count(String status) {
            return tests.stream().filter(t -> t.status().equals(status)).count();
        }
    }

    /**
     * @param sources checkout-relative path (e.g. {@code mini-container/src/main/java/...}) to the
     *                text to compile in place of the reference file; empty: the reference itself
     * @param work    a scratch directory, emptied first
     */
    public Result grade(Chapter chapter, Map<String, String> sources, Path work) throws IOException {
        long start = System.nanoTime();
        List<Path> reference = ChapterBuild.classpath(project, chapter);
        deleteTree(work);
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            if (!onClasspath(e.getKey(), reference)) {
                continue; // a module this chapter does not use (a later chapter's exercise)
            }
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f);
        }
        if (!files.isEmpty()) {
            SourceCompiler.Result compiled = SourceCompiler.compile(files, reference, classes);
            if (!compiled.ok()) {
                List<String> errors = compiled.errors().stream()
                        .map(m -> m.replace(src.toString() + File.separator, "")).toList();
                return new Result(errors.isEmpty() ? List.of("javac failed") : errors, List.of(), null, millis(start));
            }
        }
        List<Path> cp = new ArrayList<>();
        cp.add(classes);
        cp.addAll(reference);
        cp.addAll(runnerClasspath());
        Path report = work.resolve("report.tsv");
        Path log = work.resolve("test-output.log");
        List<String> cmd = List.of(javaCommand(), "-cp",
                cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                TestRun.class.getName(), chapter.testClasses().toString(), report.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(chapter.dir().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MINI_PROJECT_ROOT", project.root().toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TeachingException("the tests of " + chapter.id() + " did not finish within "
                        + TIMEOUT_MINUTES + " minutes (an endless loop or a wait that never ends?); see "
                        + project.relative(log));
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TeachingException("interrupted while running the tests of " + chapter.id());
        }
        if (!Files.isRegularFile(report)) {
            throw new TeachingException("the test JVM for " + chapter.id() + " exited with " + p.exitValue()
                    + " before reporting; see " + project.relative(log));
        }
        List<TestOutcome> tests = Files.readAllLines(report).stream()
                .filter(l -> !l.isBlank()).map(TestOutcome::fromLine).toList();
        return new Result(List.of(), tests, log, millis(start));
    }

    /** Whether the module of a checkout-relative source file is on the chapter's classpath. */
    boolean onClasspath(String relative, List<Path> classpath) {
        int at = relative.indexOf("/src/main/java/");
        if (at < 0) {
            return false;
        }
        Path target = project.root().resolve(relative.substring(0, at)).resolve("target");
        return classpath.stream().anyMatch(p -> p.toAbsolutePath().normalize().startsWith(target));
    }

    /** Where TestRun and the JUnit Platform Launcher live (jars, or class directories). */
    static List<Path> runnerClasspath() {
        List<Path> cp = new ArrayList<>();
        for (Class<?> c : List.of(TestRun.class, LauncherFactory.class)) {
            try {
                Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!cp.contains(p)) {
                    cp.add(p);
                }
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return cp;
    }

    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
