package dev.minidocker.exercises;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Discovers chapter modules: every {@code chapters/chNN-name/} directory with a pom.xml. */
public final class Chapters {
    private static final Pattern DIR = Pattern.compile("ch(\\d\\d)-[a-z0-9-]+");
    private static final Pattern NAME = Pattern.compile("</parent>.*?<name>(.*?)</name>", Pattern.DOTALL);

    private Chapters() {
    }

    public static List<Chapter> discover(Project project) {
        Path dir = project.root().resolve("chapters");
        List<Chapter> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                Matcher m = DIR.matcher(child.getFileName().toString());
                Path pom = child.resolve("pom.xml");
                if (m.matches() && Files.isRegularFile(pom)) {
                    found.add(new Chapter(Integer.parseInt(m.group(1)), m.group(), child, title(pom, m.group())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparingInt(Chapter::number));
        return found;
    }

    public static Chapter byNumber(Project project, int number) {
        return discover(project).stream().filter(c -> c.number() == number).findFirst()
                .orElseThrow(() -> new TeachingException("no chapter " + number
                        + " in this checkout (see ./mini chapter --list)"));
    }

    /** The chapter an exercise id belongs to: its {@code chNN-} prefix. */
    public static Optional<Chapter> forExercise(List<Chapter> chapters, String exerciseId) {
        if (exerciseId.length() < 5 || !exerciseId.startsWith("ch")) {
            return Optional.empty();
        }
        int n;
        try {
            n = Integer.parseInt(exerciseId.substring(2, 4));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return chapters.stream().filter(c -> c.number() == n).findFirst();
    }

    private static String title(Path pom, String id) {
        try {
            Matcher m = NAME.matcher(Files.readString(pom));
            if (!m.find()) {
                return id;
            }
            String name = m.group(1).trim();
            int colon = name.indexOf(':');
            return colon >= 0 ? name.substring(colon + 1).trim() : name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
