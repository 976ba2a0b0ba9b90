package dev.minidocker.exercises;

import java.io.IOException;
import java.nio.file.Path;

/** MarkerScannerTest's fake checkout, for tests in other packages. */
public final class MarkerScannerTestAccess {
    private MarkerScannerTestAccess() {
    }

    public static Project fakeProject(Path root) throws IOException {
        return MarkerScannerTest.fakeProject(root);
    }

    public static Path source(Path root, String rel, String... lines) throws IOException {
        return MarkerScannerTest.source(root, rel, lines);
    }
}
