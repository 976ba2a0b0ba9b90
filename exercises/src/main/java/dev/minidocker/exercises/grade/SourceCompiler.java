package dev.minidocker.exercises.grade;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles only the learner's changed sources, against the built reference classes. Their
 * classes are put first on the test classpath, where they shadow the reference ones.
 */
public final class SourceCompiler {
    private SourceCompiler() {
    }

    /** Compiled, or the compiler's messages (file:line: message), one per line. */
    public record Result(boolean ok, List<String> errors) {
    }

    public static Result compile(List<Path> sources, List<Path> classpath, Path outDir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime: run with a JDK, not a JRE");
        }
        Files.createDirectories(outDir);
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
            List<String> options = List.of("--release", "17", "-nowarn", "-proc:none", "-encoding", "UTF-8",
                    "-d", outDir.toString(),
                    "-cp", classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            boolean ok = javac.getTask(new StringWriter(), files, diags, options, null, units).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
                    errors.add(where + d.getMessage(Locale.ROOT));
                }
            }
            return new Result(ok, errors);
        }
    }
}
