package dev.minidocker.exercises.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.exercises.BookSections;
import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.Chapters;
import dev.minidocker.exercises.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mini book}: builds the book (HTML and PDF) with Maven and says where it is. */
@Command(name = "book",
        description = {"Build the book: HTML (a page per chapter) and PDF, with the real",
                "code and the real output of every chapter's demo (they run: needs root).",
                "The student edition prints each exercise as its gap and hint; the full",
                "edition (the default) prints the reference code."})
public final class BookCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--edition", paramLabel = "full|student", defaultValue = "full",
            description = "Which code to print for the exercises (default: ${DEFAULT-VALUE}).")
    String edition;

    @Override
    public Integer call() {
        if (!edition.equals("full") && !edition.equals("student")) {
            System.err.println("mini: --edition is full or student, not " + edition);
            return 125;
        }
        Project project = Project.locate();
        // The chapters are in the list so that their demos run from fresh classes.
        StringBuilder modules = new StringBuilder("book");
        for (Chapter c : Chapters.discover(project)) {
            modules.append(",").append(project.root().relativize(c.dir()));
        }
        List<String> cmd = List.of("mvn", "-q", "-B", "-Dstyle.color=never", "-DskipTests", "-Dbook.edition=" + edition,
                "-pl", modules.toString(), "-am", "package");
        System.err.println("building the book: " + String.join(" ", cmd));
        try {
            Process p = new ProcessBuilder(cmd).directory(project.root().toFile()).inheritIO().start();
            int rc = p.waitFor();
            if (rc != 0) {
                System.err.println("mini: building the book failed (see the Maven output above)");
                return 1;
            }
        } catch (IOException e) {
            System.err.println("mini: cannot run Maven (" + e.getMessage() + "): install Maven (apt-get install maven)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
        var html = BookSections.html(project).resolve("index.html");
        var pdf = BookSections.pdf(project);
        if (!Files.isRegularFile(html) || !Files.isRegularFile(pdf)) {
            System.err.println("mini: the build finished but " + project.relative(html) + " or "
                    + project.relative(pdf) + " is missing");
            return 1;
        }
        System.out.println("Edition: " + edition);
        System.out.println("HTML: " + html);
        System.out.println("PDF:  " + pdf);
        return 0;
    }
}
