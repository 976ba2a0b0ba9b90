package dev.minidocker.exercises.grade;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs in the grading JVM: every test under a chapter's test-classes directory, through the
 * JUnit Platform Launcher, writing one line per test to a report file.
 * Usage: {@code TestRun TEST_CLASSES_DIR REPORT_FILE}
 */
public final class TestRun {
    private TestRun() {
    }

    public static void main(String[] args) throws IOException {
        Path testClasses = Path.of(args[0]);
        Path report = Path.of(args[1]);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(report, StandardCharsets.UTF_8), true)) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(testClasses)))
                    .build();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, new Reporter(out));
        }
        // Tests may leave non-daemon threads behind; the report is complete, so leave now.
        System.exit(0);
    }

    private static final class Reporter implements TestExecutionListener {
        private final PrintWriter out;

        Reporter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            out.println(new TestOutcome("SKIP", className(id), name(id), reason == null ? "" : reason).toLine());
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            boolean isClass = id.getSource().filter(s -> s instanceof ClassSource).isPresent();
            if (!id.isTest() && !(isClass && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL)) {
                return;
            }
            String name = id.isTest() ? name(id) : "(setting up the tests)";
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "PASS";
                case ABORTED -> "SKIP";
                case FAILED -> "FAIL";
            };
            String message = result.getThrowable().map(TestRun::why).orElse("");
            out.println(new TestOutcome(status, className(id), name, message).toLine());
        }
    }

    private static String className(TestIdentifier id) {
        Optional<TestSource> source = id.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            return simple(m.getClassName());
        }
        if (source.isPresent() && source.get() instanceof ClassSource c) {
            return simple(c.getClassName());
        }
        return "";
    }

    private static String name(TestIdentifier id) {
        String display = id.getDisplayName();
        Optional<TestSource> source = id.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m && display.startsWith(m.getMethodName() + "(")) {
            return Words.fromIdentifier(m.getMethodName());
        }
        return display;
    }

    /**
     * The one line that explains a failure: an unfinished exercise if one is in the causes, and a
     * sentence about the mistake when it is a known one.
     */
    static String why(Throwable t) {
        String line = firstLine(t);
        return KnownMistakes.explain(t).map(s -> line + ". " + s).orElse(line);
    }

    private static String firstLine(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnsupportedOperationException && c.getMessage() != null
                    && c.getMessage().startsWith("Exercise ")) {
                return "reached the unfinished " + c.getMessage();
            }
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            return t.getClass().getSimpleName();
        }
        String first = msg.strip().lines().findFirst().orElse("");
        // Exercises that throw inside a container show up in its output: pass that line on.
        int at = msg.indexOf("Exercise ch");
        if (at >= 0) {
            String rest = msg.substring(at).lines().findFirst().orElse("");
            return "reached the unfinished " + rest;
        }
        return first;
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
