package dev.minidocker.exercises;

import java.nio.file.Path;

/**
 * One chapter module, found from {@code chapters/chNN-name/pom.xml}.
 *
 * @param number  NN
 * @param id      the module directory and artifactId, e.g. {@code ch03-pid}
 * @param dir     the module directory
 * @param title   the human title: the pom's {@code <name>} after its "chNN-name:" prefix
 */
public record Chapter(int number, String id, Path dir, String title) {

    /** Every chapter's demo is {@code dev.minidocker.chNN.Main}. */
    public String mainClass() {
        return String.format("dev.minidocker.ch%02d.Main", number);
    }

    public Path classes() {
        return dir.resolve("target/classes");
    }

    public Path testClasses() {
        return dir.resolve("target/test-classes");
    }

    /** Written by maven-dependency-plugin (see chapters/pom.xml): the test classpath. */
    public Path classpathFile() {
        return dir.resolve("target/mini-classpath.txt");
    }

    public Path testSources() {
        return dir.resolve("src/test/java");
    }

    public String label() {
        return String.format("Chapter %d: %s", number, title);
    }
}
