package dev.minidocker.exercises.book;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.ChapterDemo;
import dev.minidocker.exercises.Chapters;
import dev.minidocker.exercises.Exercise;
import dev.minidocker.exercises.MarkerScanner;
import dev.minidocker.exercises.Project;
import dev.minidocker.exercises.TeachingException;
import dev.minidocker.exercises.grade.Words;

/**
 * Prepares the book's sources for Asciidoctor (run by book/pom.xml before it):
 * copies book/src/docs/asciidoc, runs every chapter's demo and keeps its output as the chapter's
 * transcript, and writes the parts that come from the code: the list of each chapter's tests,
 * its exercises, the chapter list, and a plain page for a chapter whose prose is not written yet.
 * A demo that fails or prints nothing fails the build.
 *
 * <p>Usage: {@code BookSources CHECKOUT SOURCES_OUT_DIR [RENDERED_BOOK_DIR_TO_CLEAR]}
 */
public final class BookSources {
    private static final Pattern TEST = Pattern.compile(
            "@(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\\b[^;{]*?(?:@DisplayName\\(\"([^\"]*)\"\\)[^;{]*?)?\\s+(?:public\\s+)?(?:static\\s+)?[\\w<>\\[\\], ]+\\s+(\\w+)\\s*\\(",
            Pattern.DOTALL);
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private BookSources() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Project project = new Project(Path.of(args[0]).toAbsolutePath().normalize());
        Path out = Path.of(args[1]).toAbsolutePath();
        try {
            if (args.length > 2) {
                // the rendered book: cleared so that no page of a removed chapter survives
                dev.minidocker.exercises.grade.Grader.deleteTree(Path.of(args[2]));
            }
            prepare(project, out);
        } catch (TeachingException e) {
            System.err.println("book: " + e.getMessage());
            System.exit(1);
        }
    }

    static void prepare(Project project, Path out) throws IOException, InterruptedException {
        Path src = project.root().resolve("book/src/docs/asciidoc");
        dev.minidocker.exercises.grade.Grader.deleteTree(out);
        copyTree(src, out);
        Path gen = Files.createDirectories(out.resolve("_generated"));
        Path transcripts = Files.createDirectories(out.resolve("_transcripts"));
        List<Chapter> chapters = Chapters.discover(project);
        for (String page : dropPagesWithoutChapter(out, chapters)) {
            System.err.println("book: " + page + " waits for its chapter module under chapters/");
        }
        List<Exercise> exercises = MarkerScanner.scan(project);
        StringBuilder links = new StringBuilder();
        StringBuilder includes = new StringBuilder();
        for (Chapter c : chapters) {
            List<Exercise> mine = exercises.stream().filter(e -> e.chapter().equals(c)).toList();
            Files.writeString(transcripts.resolve(c.id() + ".txt"), transcript(project, c));
            Files.writeString(gen.resolve(c.id() + "-tests.adoc"), testsSection(project, c));
            Files.writeString(gen.resolve(c.id() + "-exercises.adoc"), exercisesSection(mine));
            if (!Files.exists(out.resolve(c.id() + ".adoc"))) {
                Files.writeString(out.resolve(c.id() + ".adoc"), plainPage(c));
            }
            links.append(". xref:").append(c.id()).append(".adoc[").append(c.label()).append("]\n");
            includes.append("include::../").append(c.id()).append(".adoc[leveloffset=+1]\n\n");
        }
        Files.writeString(gen.resolve("chapter-links.adoc"), links.toString());
        Files.writeString(gen.resolve("chapter-includes.adoc"), includes.toString());
    }

    /** Prose may be written before its chapter module lands: such a page is left out until then. */
    static List<String> dropPagesWithoutChapter(Path out, List<Chapter> chapters) throws IOException {
        List<String> dropped = new ArrayList<>();
        try (Stream<Path> pages = Files.list(out)) {
            for (Path page : pages.sorted().toList()) {
                String name = page.getFileName().toString();
                if (name.matches("ch\\d\\d-[a-z0-9-]+\\.adoc")
                        && chapters.stream().noneMatch(c -> name.equals(c.id() + ".adoc"))) {
                    Files.delete(page);
                    dropped.add(name);
                }
            }
        }
        return dropped;
    }

    /** The demo's output, as a presenter would see it without --step. */
    static String transcript(Project project, Chapter c) throws IOException, InterruptedException {
        System.err.println("book: running the demo of " + c.id() + " for its transcript");
        Path log = Files.createTempFile("transcript-" + c.id(), ".txt");
        try {
            Process p = ChapterDemo.command(project, c, List.of()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TeachingException("the demo of " + c.id() + " did not finish within 5 minutes");
            }
            String text = ANSI.matcher(Files.readString(log, StandardCharsets.UTF_8)).replaceAll("");
            if (p.exitValue() != 0) {
                throw new TeachingException("the demo of " + c.id() + " (" + c.mainClass() + ") exited with "
                        + p.exitValue() + (isRoot() ? "" : " (the demos need root)") + "; its output:\n" + text);
            }
            if (text.isBlank()) {
                throw new TeachingException("the demo of " + c.id() + " printed nothing: no transcript for the book");
            }
            return text.stripTrailing() + "\n";
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** "What the tests check": every test of the chapter, named in plain words. */
    static String testsSection(Project project, Chapter c) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(c.testSources())) {
            try (Stream<Path> walk = Files.walk(c.testSources())) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            }
        }
        for (Path f : files) {
            Matcher m = TEST.matcher(Files.readString(f));
            List<String> names = new ArrayList<>();
            while (m.find()) {
                names.add(m.group(1) != null ? m.group(1) : Words.fromIdentifier(m.group(2)));
            }
            if (names.isEmpty()) {
                continue;
            }
            String cls = f.getFileName().toString().replace(".java", "");
            sb.append("`").append(cls).append("` (").append(project.relative(f)).append("):\n\n");
            names.forEach(n -> sb.append("* ").append(n).append('\n'));
            sb.append('\n');
        }
        if (sb.length() == 0) {
            sb.append("This chapter has no tests yet.\n");
        }
        return sb.toString();
    }

    static String exercisesSection(List<Exercise> mine) {
        if (mine.isEmpty()) {
            return "This chapter has no exercise yet.\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Exercise e : mine) {
            sb.append("[[exercise-").append(e.id()).append("]]\n");
            sb.append("=== Exercise `").append(e.id()).append("`\n\n");
            sb.append("Hint: ").append(e.hint()).append(" +\n").append(e.size())
                    .append(e.size() == 1 ? " line" : " lines").append(" in `").append(e.relative()).append("`\n\n");
            sb.append("[source,console]\n----\n./mini exercise start ").append(e.id()).append('\n')
                    .append("./mini exercise check ").append(e.id()).append("\n----\n\n");
        }
        return sb.toString();
    }

    /** A chapter page built only from what the code provides, until its prose is written. */
    static String plainPage(Chapter c) {
        return "= " + c.label() + "\ninclude::_settings.adoc[]\n\n"
                + "The prose of this chapter is not written yet; here is what its code shows.\n\n"
                + "== The demo\n\n"
                + "[listing]\n----\ninclude::_transcripts/" + c.id() + ".txt[]\n----\n\n"
                + "== What the tests check\n\ninclude::_generated/" + c.id() + "-tests.adoc[]\n\n"
                + "== The exercise\n\ninclude::_generated/" + c.id() + "-exercises.adoc[]\n";
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
