package dev.minidocker.exercises;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the book explains an exercise: the section of the chapter's page that carries an anchor
 * named after the exercise ({@code [[ch03-pid-mount-proc]]}), or else the chapter's exercise section.
 */
public final class BookSections {
    private BookSections() {
    }

    public static Path sources(Project project) {
        return project.root().resolve("book/src/docs/asciidoc");
    }

    public static Path html(Project project) {
        return project.root().resolve("book/target/book/html");
    }

    public static Path pdf(Project project) {
        return project.root().resolve("book/target/book/mini-docker.pdf");
    }

    /** The chapter's prose page, if one has been written. */
    public static Optional<Path> page(Project project, Chapter chapter) {
        Path p = sources(project).resolve(chapter.id() + ".adoc");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** One line telling the learner what to read for {@code e}. */
    public static String whatToRead(Project project, Exercise e) {
        Chapter c = e.chapter();
        String html = project.relative(html(project).resolve(c.id() + ".html"));
        Optional<Path> page = page(project, c);
        if (page.isPresent()) {
            Optional<String> section = sectionOf(page.get(), e.id());
            if (section.isPresent()) {
                return c.label() + ", section \"" + section.get() + "\" (" + html + "#" + e.id()
                        + ", source " + project.relative(page.get()) + ")";
            }
        }
        return c.label() + ", section \"The exercise\" (" + html + "#exercise-" + e.id() + ")";
    }

    /** Title of the section an anchor belongs to: the next title after it, else the one before. */
    static Optional<String> sectionOf(Path page, String anchor) {
        List<String> lines;
        try (Stream<String> s = Files.lines(page)) {
            lines = s.toList();
        } catch (IOException ex) {
            return Optional.empty();
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.equals("[[" + anchor + "]]") || l.equals("[#" + anchor + "]")) {
                for (int j = i + 1; j < lines.size() && j <= i + 2; j++) {
                    if (lines.get(j).startsWith("==")) {
                        return Optional.of(title(lines.get(j)));
                    }
                }
                for (int j = i - 1; j >= 0; j--) {
                    if (lines.get(j).startsWith("==")) {
                        return Optional.of(title(lines.get(j)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String title(String heading) {
        return heading.replaceFirst("^=+\\s*", "").trim();
    }
}
