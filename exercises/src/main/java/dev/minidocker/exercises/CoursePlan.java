package dev.minidocker.exercises;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The course plan's entries, read from each chapter's {@code course.properties}: the chapter's
 * learning objectives, how long its demo takes, where it sits in the three tracks, and for each
 * of its exercises a difficulty and an expected time. A new chapter brings its own file; the
 * book's course plan and {@code mini exercise list} pick it up.
 *
 * <pre>
 * objective.1=explain why ...          (one per line, numbered from 1)
 * demo.minutes=10
 * workshop=yes                          (the demo is part of the 3-hour workshop)
 * lab.day=1                             (day 1 or 2 of the two-day lab)
 * semester.week=4                       (week 1 to 12 of the semester)
 * exercise.ID.difficulty=easy|medium|hard
 * exercise.ID.minutes=20
 * exercise.ID.tracks=workshop,lab,semester
 * </pre>
 */
public final class CoursePlan {
    public static final String FILE = "course.properties";

    public enum Track {
        WORKSHOP("workshop", "3-hour workshop"), LAB("lab", "two-day lab"), SEMESTER("semester", "12-week semester");

        public final String key;
        public final String words;

        Track(String key, String words) {
            this.key = key;
            this.words = words;
        }

        static Track of(String key) {
            for (Track t : values()) {
                if (t.key.equals(key.trim())) {
                    return t;
                }
            }
            throw new TeachingException("unknown track '" + key + "' (workshop, lab or semester)");
        }
    }

    public enum Difficulty { EASY, MEDIUM, HARD;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One exercise's entry. */
    public record ExercisePlan(String id, Difficulty difficulty, int minutes, Set<Track> tracks) {
    }

    /** One chapter's entries. */
    public record ChapterPlan(Chapter chapter, List<String> objectives, int demoMinutes, boolean workshop,
                              int labDay, int semesterWeek, Map<String, ExercisePlan> exercises) {
    }

    private final Map<String, ChapterPlan> chapters;

    private CoursePlan(Map<String, ChapterPlan> chapters) {
        this.chapters = chapters;
    }

    public static CoursePlan load(Project project) {
        Map<String, ChapterPlan> plans = new LinkedHashMap<>();
        for (Chapter c : Chapters.discover(project)) {
            Path f = c.dir().resolve(FILE);
            if (Files.isRegularFile(f)) {
                plans.put(c.id(), parse(c, f));
            }
        }
        return new CoursePlan(plans);
    }

    public Optional<ChapterPlan> chapter(Chapter c) {
        return Optional.ofNullable(chapters.get(c.id()));
    }

    public List<ChapterPlan> chapters() {
        return List.copyOf(chapters.values());
    }

    public Optional<ExercisePlan> exercise(Exercise e) {
        return chapter(e.chapter()).map(p -> p.exercises().get(e.id()));
    }

    /**
     * Minutes of a track: its demos and its exercises. For the lab, {@code day} picks day 1 or 2;
     * the workshop and the semester ignore it.
     */
    public int minutes(Track track, int day) {
        int total = 0;
        for (ChapterPlan p : chapters.values()) {
            if (track == Track.LAB && p.labDay() != day) {
                continue;
            }
            if (track != Track.WORKSHOP || p.workshop()) {
                total += p.demoMinutes();
            }
            total += p.exercises().values().stream().filter(x -> x.tracks().contains(track)).mapToInt(ExercisePlan::minutes).sum();
        }
        return total;
    }

    static ChapterPlan parse(Chapter c, Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new TeachingException("cannot read " + file + ": " + e.getMessage());
        }
        List<String> objectives = new ArrayList<>();
        for (int i = 1; p.containsKey("objective." + i); i++) {
            objectives.add(p.getProperty("objective." + i).trim());
        }
        Map<String, ExercisePlan> exercises = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("exercise.") && k.endsWith(".difficulty")).sorted()
                .forEach(k -> {
                    String id = k.substring("exercise.".length(), k.length() - ".difficulty".length());
                    Set<Track> tracks = EnumSet.noneOf(Track.class);
                    for (String t : p.getProperty("exercise." + id + ".tracks", "").split(",")) {
                        if (!t.isBlank()) {
                            tracks.add(Track.of(t));
                        }
                    }
                    exercises.put(id, new ExercisePlan(id, difficulty(file, p.getProperty(k)),
                            number(file, p, "exercise." + id + ".minutes"), tracks));
                });
        return new ChapterPlan(c, objectives, number(file, p, "demo.minutes"),
                "yes".equals(p.getProperty("workshop", "no").trim()), number(file, p, "lab.day"),
                number(file, p, "semester.week"), exercises);
    }

    private static Difficulty difficulty(Path file, String word) {
        try {
            return Difficulty.valueOf(word.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TeachingException(file + ": difficulty '" + word + "' is not easy, medium or hard");
        }
    }

    private static int number(Path file, Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new TeachingException(file + ": " + key + " is missing");
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new TeachingException(file + ": " + key + "=" + v + " is not a number");
        }
    }
}
