package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.minidocker.container.fs.FileTrees;

/** Small file helpers shared by the image classes. */
public final class Io {
    private Io() {
    }

    /** An I/O error as one line: what failed on which path, and why. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() == null ? e.getClass().getSimpleName() : f.getReason();
            return reason + ": " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Deletes a tree without following symbolic links (a link is removed, not what it points to). */
    static void deleteTree(Path top) throws IOException {
        FileTrees.delete(top);
    }

    /** Deletes quietly: for cleaning up after a failure, where the first error is what matters. */
    public static void deleteTreeQuietly(Path top) {
        try {
            deleteTree(top);
        } catch (IOException | RuntimeException ignored) {
            // best effort; the original failure is reported
        }
    }
}
