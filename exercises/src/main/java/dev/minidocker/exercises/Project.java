package dev.minidocker.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The mini-docker checkout: the directory holding the parent pom.xml. */
public record Project(Path root) {

    /**
     * Finds the checkout: {@code MINI_PROJECT_ROOT} (set by surefire) or {@code MINI_HOME} (set by
     * the ./mini launcher) when set; otherwise the nearest mini-docker parent directory above the
     * working directory, or above this class's own jar or classes.
     */
    public static Project locate() {
        for (String var : new String[] {"MINI_PROJECT_ROOT", "MINI_HOME"}) {
            String env = System.getenv(var);
            if (env != null && !env.isBlank() && isRoot(Path.of(env))) {
                return new Project(Path.of(env).toAbsolutePath().normalize());
            }
        }
        Path start = Path.of("").toAbsolutePath();
        Path found = above(start);
        if (found == null) {
            try {
                found = above(Path.of(Project.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (java.net.URISyntaxException | SecurityException e) {
                found = null;
            }
        }
        if (found == null) {
            throw new TeachingException("cannot find the mini-docker checkout: run this from inside it"
                    + " or set MINI_PROJECT_ROOT");
        }
        return new Project(found);
    }

    private static Path above(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        return null;
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
