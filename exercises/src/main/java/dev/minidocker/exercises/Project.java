package dev.minidocker.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The mini-docker checkout: the directory holding the parent pom.xml. */
public record Project(Path root) {

    /**
     * Finds the checkout: {@code MINI_PROJECT_ROOT} when set (the launcher and surefire set it),
     * otherwise the nearest directory at or above the working directory whose pom.xml is the
     * mini-docker parent.
     */
    public static Project locate() {
        String env = System.getenv("MINI_PROJECT_ROOT");
        if (env != null && !env.isBlank() && isRoot(Path.of(env))) {
            return new Project(Path.of(env).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return new Project(dir);
            }
        }
        throw new TeachingException("cannot find the mini-docker checkout: run this from inside it"
                + " or set MINI_PROJECT_ROOT");
    }

    static boolean isRoot(Path dir) {
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom) || !Files.isDirectory(dir.resolve("chapters"))) {
            return false;
        }
        try {
            return Files.readString(pom).contains("<artifactId>mini-docker</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where learner state lives: ignored by git, private to this checkout. */
    public Path miniDir() {
        return root.resolve(".mini");
    }

    public Path defaultWorkspace() {
        return miniDir().resolve("workspace");
    }

    /** A path relative to the checkout, as shown to the user. */
    public String relative(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }
}
