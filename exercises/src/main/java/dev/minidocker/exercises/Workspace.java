package dev.minidocker.exercises;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The learner's workspace: copies of the source files that hold started exercises, at the same
 * relative paths as in the checkout (e.g. {@code mini-container/src/main/java/...}), plus
 * {@code exercises.properties} recording each started exercise's state, and {@code backups/} with
 * the learner's code as it was before a reset or a solution replaced it. The reference checkout
 * is never modified.
 */
public final class Workspace {
    public enum State {
        NOT_STARTED("not started"), FAILING("failing"), PASSING("passing"), SOLUTION("passing (solution shown)");

        public final String words;

        State(String words) {
            this.words = words;
        }

        public boolean done() {
            return this == PASSING || this == SOLUTION;
        }
    }

    private static final String STATE_FILE = "exercises.properties";

    private final Path dir;

    public Workspace(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** Scratch space for compiling and grading. */
    public Path buildDir() {
        return dir.resolve("build");
    }

    public Path fileOf(Exercise e) {
        return dir.resolve(e.relative());
    }

    public State state(String id) {
        String s = load().getProperty(id);
        return s == null ? State.NOT_STARTED : State.valueOf(s);
    }

    public void setState(String id, State state) {
        Properties p = load();
        if (state == State.NOT_STARTED) {
            p.remove(id);
        } else {
            p.setProperty(id, state.name());
        }
        save(p);
    }

    /**
     * Starts {@code target}: its region is blanked in the workspace, and nothing else changes.
     * Every exercise stands on its own, so a learner may start them in any order; one already
     * started keeps the learner's work. Returns whether the gap was made now.
     */
    public boolean start(Exercise target) {
        if (state(target.id()) != State.NOT_STARTED) {
            return false;
        }
        writeRegion(target, null);
        setState(target.id(), State.FAILING);
        return true;
    }

    /**
     * Puts the placeholder back. The learner's code, if the region holds any, is first copied to
     * a backup file, whose path is returned (null when there was nothing to keep).
     */
    public Path reset(Exercise e) {
        Path backup = backup(e);
        writeRegion(e, null);
        setState(e.id(), State.FAILING);
        return backup;
    }

    /** Puts the reference code into the learner's file, keeping a backup of theirs as reset does. */
    public Path solution(Exercise e) {
        Path backup = backup(e);
        writeRegion(e, Skeleton.body(read(e.source()), e.id()));
        setState(e.id(), State.SOLUTION);
        return backup;
    }

    /** Where backups go: {@code backups/ID-yyyyMMdd-HHmmss.java}, outside what is compiled. */
    public Path backupsDir() {
        return dir.resolve("backups");
    }

    private Path backup(Exercise e) {
        Path file = fileOf(e);
        if (!Files.exists(file)) {
            return null;
        }
        String text = read(file);
        List<String> body = Skeleton.body(text, e.id());
        if (Skeleton.isBlank(text, e.id()) || body.equals(Skeleton.body(read(e.source()), e.id()))) {
            return null; // the gap or the reference: nothing of the learner's to keep
        }
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = backupsDir().resolve(e.id() + "-" + stamp + ".java");
        for (int n = 2; Files.exists(backup); n++) {
            backup = backupsDir().resolve(e.id() + "-" + stamp + "-" + n + ".java");
        }
        try {
            Files.createDirectories(backupsDir());
            Files.writeString(backup, text);
        } catch (IOException ex) {
            throw new TeachingException("cannot keep a backup of your code in " + backup + ": " + ex.getMessage()
                    + "; nothing was changed");
        }
        return backup;
    }

    /** 1-based line of the exercise's begin marker in the workspace copy. */
    public int lineOf(Exercise e) {
        List<String> lines = Skeleton.lines(read(fileOf(e)));
        return Markers.region(lines, e.id())[0] + 1;
    }

    /**
     * What to compile when grading {@code target}: every workspace file as the learner left it,
     * except that the region of every other exercise holds the reference code. Each exercise is
     * graded on its own: the chapter's tests may run through the code of other exercises, and an
     * unfinished one elsewhere must not fail this one.
     */
    public Map<String, String> sourcesFor(Exercise target, List<Exercise> all) {
        Map<String, String> out = new TreeMap<>();
        for (String rel : files()) {
            String text = read(dir.resolve(rel));
            for (Exercise e : all) {
                if (e != target && e.relative().equals(rel)) {
                    text = Skeleton.withBody(text, e.id(), Skeleton.body(read(e.source()), e.id()));
                }
            }
            out.put(rel, text);
        }
        return out;
    }

    /** Workspace files, relative to the workspace (the build and backup directories excluded). */
    public List<String> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java") && !p.startsWith(buildDir()) && !p.startsWith(backupsDir()))
                    .map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void writeRegion(Exercise e, List<String> body) {
        Path file = fileOf(e);
        String text = Files.exists(file) ? read(file) : read(e.source());
        text = body == null ? Skeleton.blank(text, e.id()) : Skeleton.withBody(text, e.id(), body);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException ex) {
            throw new TeachingException("cannot write " + file + ": " + ex.getMessage());
        }
    }

    private Properties load() {
        Properties p = new Properties();
        Path f = dir.resolve(STATE_FILE);
        if (Files.exists(f)) {
            try (Reader r = Files.newBufferedReader(f)) {
                p.load(r);
            } catch (IOException ex) {
                throw new TeachingException("cannot read " + f + ": " + ex.getMessage());
            }
        }
        return p;
    }

    private void save(Properties p) {
        try {
            Files.createDirectories(dir);
            Map<String, String> sorted = new LinkedHashMap<>();
            p.stringPropertyNames().stream().sorted().forEach(k -> sorted.put(k, p.getProperty(k)));
            try (Writer w = Files.newBufferedWriter(dir.resolve(STATE_FILE))) {
                w.write("# exercise id = FAILING | PASSING | SOLUTION (written by ./mini exercise)\n");
                for (Map.Entry<String, String> en : sorted.entrySet()) {
                    w.write(en.getKey() + "=" + en.getValue() + "\n");
                }
            }
        } catch (IOException ex) {
            throw new TeachingException("cannot write " + dir.resolve(STATE_FILE) + ": " + ex.getMessage());
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException ex) {
            throw new TeachingException("cannot read " + p + ": " + ex.getMessage());
        }
    }
}
