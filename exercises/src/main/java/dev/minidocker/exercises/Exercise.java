package dev.minidocker.exercises;

import java.nio.file.Path;

/**
 * One marked region of the real sources.
 *
 * @param id        e.g. {@code ch04-mount-pivot-root}; its {@code chNN-} prefix names the chapter
 * @param hint      the one-line hint shown to the learner
 * @param chapter   the chapter whose tests grade it
 * @param source    the reference source file (absolute)
 * @param relative  the same file relative to the checkout, e.g. {@code mini-container/src/main/java/...}
 * @param beginLine 1-based line of the {@code exercise:begin} marker
 * @param endLine   1-based line of the {@code exercise:end} marker
 */
public record Exercise(String id, String hint, Chapter chapter, Path source, String relative,
                       int beginLine, int endLine) {

    /** Lines of real code the learner writes. */
    public int size() {
        return endLine - beginLine - 1;
    }
}
