package dev.minidocker.container.runtime;

import java.nio.file.Path;

/**
 * Where the container's standard streams go. {@code inherit()} passes the runtime's own
 * terminal or pipes straight through (an interactive shell works); files are used by tests
 * and by detached runs.
 */
public record Stdio(Path stdin, Path stdout, Path stderr) {
    public static Stdio inherit() {
        return new Stdio(null, null, null);
    }

    public static Stdio toFiles(Path stdout, Path stderr) {
        return new Stdio(Path.of("/dev/null"), stdout, stderr);
    }
}
