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
import dev.minidocker.exercises.CoursePlan;
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
 * its exercises, the chapter list, the course plan, each chapter's objectives and "what you
 * learned", and a plain page for a chapter whose prose is not written yet.
 * A demo that fails, prints nothing, or skips the output a step promises fails the build, and so
 * does a chapter page whose heading is not the chapter's title.
 *
 * <p>A new chapter needs only its module (with {@code course.properties}) and, when its prose is
 * written, {@code book/src/docs/asciidoc/chNN-name.adoc}: its place in the book, the index, the
 * course plan, its objectives and its recap all come from here.
 *
 * <p>The {@code student} edition prints every exercise region as the learner gets it (the gap
 * and its hint); the {@code full} edition prints the reference code.
 *
 * <p>Usage: {@code BookSources CHECKOUT SOURCES_OUT_DIR [RENDERED_BOOK_DIR_TO_CLEAR] [--edition=full|student]
 * [--lab-chapters=ID,...]}; the demos of the chapters named last run with {@code --lab}.
 */
public final class BookSources {
    private static final Pattern TEST = Pattern.compile(
            "@(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\\b[^;{]*?(?:@DisplayName\\(\"([^\"]*)\"\\)[^;{]*?)?\\s+(?:public\\s+)?(?:static\\s+)?[\\w<>\\[\\], ]+\\s+(\\w+)\\s*\\(",
            Pattern.DOTALL);
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern SOURCE_INCLUDE = Pattern.compile("include::\\{sourceroot\\}/([^\\[]+)\\[([^\\]]*)\\]");
    private static final Pattern STEP = Pattern.compile("^\\[(\\d+)\\] (.*)$");

    /** Which code the book prints for an exercise's region. */
    public enum Edition {
        FULL("Full edition: with the reference code of every exercise"),
        STUDENT("Student edition: each exercise is a gap with its hint");

        final String remark;

        Edition(String remark) {
            this.remark = remark;
        }

        public static Edition of(String word) {
            try {
                return valueOf(word.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TeachingException("unknown edition '" + word + "': full or student");
            }
        }
    }

    private BookSources() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> positional = new ArrayList<>();
        Edition edition = Edition.FULL;
        List<String> labChapters = new ArrayList<>();
        try {
            for (String a : args) {
                if (a.startsWith("--edition=")) {
                    edition = Edition.of(a.substring("--edition=".length()));
                } else if (a.startsWith("--lab-chapters=")) {
                    for (String id : a.substring("--lab-chapters=".length()).split(",")) {
                        if (!id.isBlank()) {
                            labChapters.add(id.trim());
                        }
                    }
                } else {
                    positional.add(a);
                }
            }
            Project project = new Project(Path.of(positional.get(0)).toAbsolutePath().normalize());
            Path out = Path.of(positional.get(1)).toAbsolutePath();
            if (positional.size() > 2) {
                // the rendered book: cleared so that no page of a removed chapter survives
                dev.minidocker.exercises.grade.Grader.deleteTree(Path.of(positional.get(2)));
            }
            prepare(project, out, edition, labChapters);
        } catch (TeachingException e) {
            System.err.println("book: " + e.getMessage());
            System.exit(1);
        }
    }

    /** @param labChapters chapters whose demo runs with {@code --lab}, inside the lab guest (the lab profile's) */
    static void prepare(Project project, Path out, Edition edition, List<String> labChapters)
            throws IOException, InterruptedException {
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
        CoursePlan plan = CoursePlan.load(project);
        StringBuilder links = new StringBuilder();
        StringBuilder includes = new StringBuilder();
        for (Chapter c : chapters) {
            List<Exercise> mine = exercises.stream().filter(e -> e.chapter().equals(c)).toList();
            String transcript = transcript(project, c, labChapters.contains(c.id()) ? List.of("--lab") : List.of());
            List<String> problems = transcriptProblems(c, transcript);
            if (!problems.isEmpty()) {
                throw new TeachingException("the demo of " + c.id() + ": " + String.join("; ", problems)
                        + ". Its output:\n" + transcript);
            }
            Files.writeString(transcripts.resolve(c.id() + ".txt"), transcript);
            Files.writeString(gen.resolve(c.id() + "-tests.adoc"), testsSection(project, c));
            Files.writeString(gen.resolve(c.id() + "-exercises.adoc"), exercisesSection(mine, plan));
            Path page = out.resolve(c.id() + ".adoc");
            if (!Files.exists(page)) {
                Files.writeString(page, plainPage(c));
            }
            String text = Files.readString(page);
            String heading = "= " + c.label();
            if (!text.startsWith(heading + "\n")) {
                throw new TeachingException(project.relative(src.resolve(c.id() + ".adoc")) + " starts with \""
                        + text.lines().findFirst().orElse("") + "\" but the chapter is \"" + c.label()
                        + "\" (its title comes from " + project.relative(c.dir().resolve("pom.xml"))
                        + "'s <name>, which ./mini chapter --list and the demo print too)");
            }
            List<String> objectives = plan.chapter(c).map(CoursePlan.ChapterPlan::objectives).orElse(List.of());
            Files.writeString(page, withObjectivesAndRecap(text, objectives, conclusion(transcript)));
            links.append(". xref:").append(c.id()).append(".adoc[").append(c.label()).append("]\n");
            includes.append("include::../").append(c.id()).append(".adoc[leveloffset=+1]\n\n");
        }
        Files.writeString(gen.resolve("chapter-links.adoc"), links.toString());
        Files.writeString(gen.resolve("chapter-includes.adoc"), includes.toString());
        Files.writeString(gen.resolve("course-plan.adoc"), CoursePlanPage.of(plan, exercises));
        Files.writeString(gen.resolve("edition.adoc"), ":edition: " + edition.name().toLowerCase(java.util.Locale.ROOT)
                + "\n:revremark: " + edition.remark + "\n");
        rewriteSourceIncludes(project, out, exercises, edition);
    }

    /**
     * The objectives go under the page's header ("In this chapter you learn to"), the recap at its
     * end: the demo's conclusion and the same objectives, now as what the reader can do.
     */
    static String withObjectivesAndRecap(String page, List<String> objectives, String conclusion) {
        if (objectives.isEmpty() && conclusion.isEmpty()) {
            return page;
        }
        int headerEnd = page.indexOf("\n\n");
        headerEnd = headerEnd < 0 ? page.length() : headerEnd + 2;
        StringBuilder top = new StringBuilder();
        if (!objectives.isEmpty()) {
            top.append(".In this chapter you learn to\n");
            objectives.forEach(o -> top.append("* ").append(o).append('\n'));
            top.append('\n');
        }
        StringBuilder end = new StringBuilder("\n\n== What you learned\n\n");
        if (!conclusion.isEmpty()) {
            // pass:c[] prints the text as it is: only <, > and & escaped, no formatting
            end.append("The demo's last line said it: pass:c[").append(conclusion.replace("]", "\\]")).append("]\n\n");
        }
        if (!objectives.isEmpty()) {
            end.append("You can now:\n\n");
            objectives.forEach(o -> end.append("* ").append(o).append('\n'));
        }
        return page.substring(0, headerEnd) + top + page.substring(headerEnd).stripTrailing() + end;
    }

    /** The demo's conclusion ("=> ..."), joined when the narrator wrapped it. */
    static String conclusion(String transcript) {
        List<String> lines = transcript.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("=> ")) {
                StringBuilder sb = new StringBuilder(lines.get(i).substring(3).trim());
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("   ") && !lines.get(j).isBlank(); j++) {
                    sb.append(' ').append(lines.get(j).trim());
                }
                return sb.toString();
            }
        }
        return "";
    }

    /** What chapter-kit's Narrator prints for an empty block of output (Narrator.NO_OUTPUT). */
    static final String NO_OUTPUT = "(no output)";

    /**
     * What is wrong with a demo's output for the book: a title other than the chapter's, or a step
     * that says what to look at ("look at: ...") and then shows nothing, or shows a block of output
     * that came back empty (the narrator's "(no output)").
     */
    static List<String> transcriptProblems(Chapter c, String transcript) {
        List<String> problems = new ArrayList<>();
        if (transcript.lines().noneMatch(l -> l.equals("== " + c.label()))) {
            problems.add("its title line is not \"== " + c.label() + "\"");
        }
        String step = null;
        boolean promised = false;
        boolean seen = false;
        boolean inLookAt = false;
        for (String line : (transcript + "\n=> end").split("\n")) {
            Matcher m = STEP.matcher(line);
            if (m.matches() || line.startsWith("=> ")) {
                if (step != null && promised && !seen) {
                    problems.add("step " + step + " says what to look at but shows nothing");
                }
                step = m.matches() ? "[" + m.group(1) + "] (" + m.group(2) + ")" : null;
                promised = false;
                seen = false;
                inLookAt = false;
            } else if (line.startsWith("    look at:")) {
                promised = true;
                inLookAt = true;
            } else if (inLookAt && line.startsWith(" ".repeat(13))) {
                continue; // the look-at line, wrapped
            } else if (!line.isBlank()) {
                inLookAt = false;
                if (line.endsWith(" " + NO_OUTPUT) && promised) {
                    problems.add("step " + step + " says what to look at but its output was empty (" + line.trim() + ")");
                }
                seen = true;
            }
        }
        return problems;
    }

    /**
     * Rewrites includes of real sources where the book must show something other than the file:
     * in the student edition a file holding exercises is included as the learner gets it (every
     * region a gap with its hint); a {@code [listing]} of a Javadoc drawing loses its " * " margin.
     */
    static void rewriteSourceIncludes(Project project, Path out, List<Exercise> exercises, Edition edition) throws IOException {
        java.util.Map<String, List<Exercise>> byFile = new java.util.TreeMap<>();
        exercises.forEach(e -> byFile.computeIfAbsent(e.relative(), k -> new ArrayList<>()).add(e));
        List<Path> pages;
        try (Stream<Path> walk = Files.walk(out)) {
            pages = walk.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
        }
        for (Path page : pages) {
            List<String> lines = new ArrayList<>(Files.readAllLines(page));
            boolean changed = false;
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = SOURCE_INCLUDE.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                String rel = m.group(1);
                String attrs = m.group(2);
                boolean drawing = i >= 2 && lines.get(i - 2).trim().equals("[listing]") && rel.endsWith(".java")
                        && attrs.startsWith("tag=");
                String replacement = null;
                if (drawing) {
                    String tag = attrs.substring("tag=".length());
                    Path file = project.root().resolve(rel);
                    String name = file.getFileName().toString().replace(".java", "") + "-" + tag + ".txt";
                    Path target = Files.createDirectories(out.resolve("_generated/drawings")).resolve(name);
                    Files.writeString(target, javadocDrawing(Files.readString(file), tag, project.relative(file)));
                    replacement = "include::_generated/drawings/" + name + "[]";
                } else if (edition == Edition.STUDENT && byFile.containsKey(rel)) {
                    Path target = out.resolve("_student").resolve(rel);
                    if (!Files.exists(target)) {
                        String text = Files.readString(project.root().resolve(rel));
                        for (Exercise e : byFile.get(rel)) {
                            text = studentGap(text, e);
                        }
                        Files.createDirectories(target.getParent());
                        Files.writeString(target, text);
                    }
                    replacement = "include::" + out.relativize(target) + "[" + attrs + "]";
                }
                if (replacement != null) {
                    lines.set(i, lines.get(i).substring(0, m.start()) + replacement + lines.get(i).substring(m.end()));
                    changed = true;
                }
            }
            if (edition == Edition.FULL) {
                changed |= collapseSolutionsInHtml(project, out, lines, byFile);
            }
            if (changed) {
                Files.write(page, lines);
            }
        }
    }

    /**
     * The full edition's HTML: a listing whose tagged region holds an exercise shows the gap first,
     * and the reference code in a collapsed block under it, for a reader who tries before looking.
     * The PDF keeps the plain listing. Returns whether {@code lines} changed.
     */
    static boolean collapseSolutionsInHtml(Project project, Path out, List<String> lines,
                                           java.util.Map<String, List<Exercise>> byFile) throws IOException {
        boolean changed = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = SOURCE_INCLUDE.matcher(lines.get(i));
            if (!m.matches() || !byFile.containsKey(m.group(1)) || !m.group(2).startsWith("tag=")
                    || i < 2 || !lines.get(i - 1).equals("----") || i + 1 >= lines.size() || !lines.get(i + 1).equals("----")
                    || !lines.get(i - 2).startsWith("[source")) {
                continue;
            }
            String rel = m.group(1);
            String tag = m.group(2).substring("tag=".length());
            String reference = Files.readString(project.root().resolve(rel));
            List<Exercise> inside = byFile.get(rel).stream().filter(e -> tagHolds(reference, tag, e.id())).toList();
            if (inside.isEmpty()) {
                continue;
            }
            Path target = out.resolve("_student").resolve(rel);
            if (!Files.exists(target)) {
                String text = reference;
                for (Exercise e : byFile.get(rel)) {
                    text = studentGap(text, e);
                }
                Files.createDirectories(target.getParent());
                Files.writeString(target, text);
            }
            int start = i - 2;
            String title = start > 0 && lines.get(start - 1).matches("^\\.[^.\\s].*") ? lines.get(start - 1) : null;
            if (title != null) {
                start--;
            }
            List<String> block = new ArrayList<>(lines.subList(start, i + 2));
            List<String> gap = new ArrayList<>(block);
            gap.set(gap.size() - 2, "include::" + out.relativize(target) + "[" + m.group(2) + "]");
            List<String> replacement = new ArrayList<>();
            replacement.add("ifdef::backend-html5[]");
            replacement.addAll(gap);
            replacement.add("");
            replacement.add(".The reference code (" + inside.stream().map(Exercise::id).collect(java.util.stream.Collectors.joining(", "))
                    + "): open it once you have tried");
            replacement.add("[%collapsible]");
            replacement.add("====");
            replacement.addAll(title == null ? block : block.subList(1, block.size()));
            replacement.add("====");
            replacement.add("endif::[]");
            replacement.add("ifndef::backend-html5[]");
            replacement.addAll(block);
            replacement.add("endif::[]");
            for (int k = i + 1; k >= start; k--) {
                lines.remove(k);
            }
            lines.addAll(start, replacement);
            i = start + replacement.size() - 1;
            changed = true;
        }
        return changed;
    }

    /** Whether the region tagged {@code tag} holds the begin marker of exercise {@code id}. */
    static boolean tagHolds(String source, String tag, String id) {
        boolean inTag = false;
        for (String line : source.lines().toList()) {
            if (line.contains("tag::" + tag + "[]")) {
                inTag = true;
            } else if (line.contains("end::" + tag + "[]")) {
                inTag = false;
            } else if (inTag && line.contains("exercise:begin " + id + " ")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The region of {@code e} as the student edition prints it: the gap, the hint in comment lines
     * that fit a printed page, and the statement that throws until the learner's code replaces it.
     */
    static String studentGap(String text, Exercise e) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int[] r = dev.minidocker.exercises.Markers.region(lines, e.id());
        String begin = lines.get(r[0]);
        String indent = begin.substring(0, begin.length() - begin.stripLeading().length());
        List<String> gap = new ArrayList<>();
        gap.add(indent + "// exercise:begin " + e.id());
        StringBuilder line = new StringBuilder(indent + "// Your code goes here. Hint:");
        for (String word : e.hint().replace("\\\"", "\"").split(" ")) {
            if (line.length() + 1 + word.length() > 90) {
                gap.add(line.toString());
                line.setLength(0);
                line.append(indent).append("//");
            }
            line.append(' ').append(word);
        }
        gap.add(line.toString());
        gap.add(indent + "throw new UnsupportedOperationException(\"Exercise " + e.id() + "\");");
        gap.add(lines.get(r[1]));
        List<String> out = new ArrayList<>(lines.subList(0, r[0]));
        out.addAll(gap);
        out.addAll(lines.subList(r[1] + 1, lines.size()));
        return String.join("\n", out) + (text.endsWith("\n") ? "\n" : "");
    }

    /** A tagged region of a Javadoc comment as plain text: the leading " * " of each line removed. */
    static String javadocDrawing(String source, String tag, String where) {
        List<String> lines = source.lines().toList();
        int begin = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("tag::" + tag + "[]")) {
                begin = i;
            } else if (begin >= 0 && lines.get(i).contains("end::" + tag + "[]")) {
                StringBuilder sb = new StringBuilder();
                for (String l : lines.subList(begin + 1, i)) {
                    sb.append(l.replaceFirst("^\\s*\\*( |$)", "").stripTrailing()).append('\n');
                }
                return sb.toString();
            }
        }
        throw new TeachingException(where + " has no region tag::" + tag + "[] ... end::" + tag + "[]");
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
    static String transcript(Project project, Chapter c, List<String> args) throws IOException, InterruptedException {
        System.err.println("book: running the demo of " + c.id() + (args.isEmpty() ? "" : " " + String.join(" ", args))
                + " for its transcript");
        Path log = Files.createTempFile("transcript-" + c.id(), ".txt");
        try {
            Process p = ChapterDemo.command(project, c, args).redirectErrorStream(true)
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

    static String exercisesSection(List<Exercise> mine, CoursePlan plan) {
        if (mine.isEmpty()) {
            return "This chapter has no exercise yet.\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Exercise e : mine) {
            sb.append("[[exercise-").append(e.id()).append("]]\n");
            sb.append("=== Exercise `").append(e.id()).append("`\n\n");
            sb.append("Hint: ").append(e.hint()).append(" +\n").append(e.size())
                    .append(e.size() == 1 ? " line" : " lines").append(" in `").append(e.relative()).append("`");
            plan.exercise(e).ifPresent(x -> sb.append(" +\nDifficulty: ").append(x.difficulty().word())
                    .append(", about ").append(x.minutes()).append(" minutes"));
            sb.append("\n\n");
            sb.append("[source,console]\n----\n./mini exercise start ").append(e.id()).append('\n')
                    .append("sudo ./mini exercise check ").append(e.id()).append("\n----\n\n");
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
