package dev.minidocker.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds every exercise region in the real sources ({@code src/main/java} of every module) and
 * checks that the markers are well formed. Order: chapter number, then file, then line; "later"
 * exercises are the ones after in this order.
 */
public final class MarkerScanner {
    /** Not scanned: build output, learner state, and the teaching tools themselves. */
    private static final Set<String> SKIP = Set.of(".git", ".mini", "target", "exercises", "book", "node_modules");

    private MarkerScanner() {
    }

    /**
     * What a scan found.
     *
     * @param exercises the exercises, in order
     * @param waiting   "file:line: id" of regions whose chapter module is not under chapters/ yet
     */
    public record Found(List<Exercise> exercises, List<String> waiting) {
    }

    public static List<Exercise> scan(Project project) {
        return scanAll(project).exercises();
    }

    public static Found scanAll(Project project) {
        List<Chapter> chapters = Chapters.discover(project);
        List<Exercise> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (Path file : javaSources(project.root())) {
            scanFile(project, chapters, file, found, problems, waiting);
        }
        Map<String, Exercise> seen = new HashMap<>();
        for (Exercise e : found) {
            Exercise before = seen.putIfAbsent(e.id(), e);
            if (before != null) {
                problems.add(e.relative() + ":" + e.beginLine() + ": exercise id " + e.id()
                        + " is already used at " + before.relative() + ":" + before.beginLine());
            }
        }
        if (!problems.isEmpty()) {
            throw new TeachingException("broken exercise markers:\n  " + String.join("\n  ", problems));
        }
        found.sort(Comparator.comparingInt((Exercise e) -> e.chapter().number())
                .thenComparing(Exercise::relative).thenComparingInt(Exercise::beginLine));
        return new Found(found, waiting);
    }

    public static Exercise find(Project project, String id) {
        List<Exercise> all = scan(project);
        return all.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new TeachingException("no exercise named " + id
                        + " (see ./mini exercise list)"));
    }

    private static void scanFile(Project project, List<Chapter> chapters, Path file, List<Exercise> found,
                                 List<String> problems, List<String> waiting) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String rel = project.relative(file);
        String openId = null;
        String openHint = null;
        int openLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!Markers.mentionsMarker(line)) {
                continue;
            }
            Matcher b = Markers.begin(line);
            String endId = Markers.endId(line);
            String where = rel + ":" + (i + 1) + ": ";
            if (b != null) {
                if (openId != null) {
                    problems.add(where + "exercise " + b.group(2) + " begins inside exercise " + openId);
                }
                openId = b.group(2);
                openHint = b.group(3).replace("\\\"", "\"");
                openLine = i + 1;
            } else if (endId != null) {
                if (openId == null || !openId.equals(endId)) {
                    problems.add(where + "exercise:end " + endId + " without a matching exercise:begin");
                    openId = null;
                    continue;
                }
                Optional<Chapter> chapter = Chapters.forExercise(chapters, openId);
                if (!Markers.ID.matcher(openId).matches()) {
                    problems.add(rel + ":" + openLine + ": exercise id " + openId
                            + " must look like chNN-topic-words (lower case, dashes)");
                } else if (chapter.isEmpty()) {
                    // The runtime is often marked before its chapter module lands: not an error.
                    waiting.add(rel + ":" + openLine + ": " + openId);
                } else if (openHint.isBlank()) {
                    problems.add(rel + ":" + openLine + ": exercise " + openId + " has an empty hint");
                } else {
                    found.add(new Exercise(openId, openHint, chapter.get(), file, rel, openLine, i + 1));
                }
                openId = null;
            } else if (line.trim().startsWith("//")) {
                problems.add(where + "malformed marker; expected // exercise:begin ID \"hint\" or // exercise:end ID");
            }
        }
        if (openId != null) {
            problems.add(rel + ":" + openLine + ": exercise " + openId + " has no exercise:end");
        }
    }

    static List<Path> javaSources(Path root) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (!dir.equals(root) && SKIP.contains(name)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (dir.endsWith("src/test")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String s = file.toString();
                    if (s.endsWith(".java") && s.contains("/src/main/java/")) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }
}
