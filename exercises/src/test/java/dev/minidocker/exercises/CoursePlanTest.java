package dev.minidocker.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.exercises.CoursePlan.ChapterPlan;
import dev.minidocker.exercises.CoursePlan.Track;

/** The course plan over the real checkout: complete, and every track fits its time. */
class CoursePlanTest {
    private static final Project PROJECT = Project.locate();

    @Test
    void everyChapterHasObjectivesAndAPlaceInEachTrack() {
        CoursePlan plan = CoursePlan.load(PROJECT);
        for (Chapter c : Chapters.discover(PROJECT)) {
            ChapterPlan p = plan.chapter(c).orElseThrow(() -> new AssertionError(c.id() + " has no " + CoursePlan.FILE));
            assertTrue(p.objectives().size() >= 2, c.id() + ": at least two learning objectives");
            assertTrue(p.labDay() == 1 || p.labDay() == 2, c.id() + ": lab.day is 1 or 2");
            assertTrue(p.semesterWeek() >= 1 && p.semesterWeek() <= 12, c.id() + ": semester.week is 1 to 12");
            assertTrue(p.demoMinutes() > 0, c.id() + ": demo.minutes");
        }
    }

    @Test
    void everyExerciseHasADifficultyAndATimeAndNoEntryNamesAMissingOne() {
        CoursePlan plan = CoursePlan.load(PROJECT);
        List<Exercise> all = MarkerScanner.scan(PROJECT);
        for (Exercise e : all) {
            CoursePlan.ExercisePlan x = plan.exercise(e).orElseThrow(() -> new AssertionError(
                    e.id() + " has no entry in " + e.chapter().id() + "/" + CoursePlan.FILE));
            assertTrue(x.minutes() > 0 && x.minutes() <= 120, e.id() + ": minutes");
            assertTrue(x.tracks().contains(Track.SEMESTER), e.id() + ": every exercise is in the semester");
        }
        Set<String> ids = all.stream().map(Exercise::id).collect(Collectors.toSet());
        for (ChapterPlan p : plan.chapters()) {
            for (String id : p.exercises().keySet()) {
                assertTrue(ids.contains(id), p.chapter().id() + "/" + CoursePlan.FILE + " plans " + id + ", which has no markers");
            }
        }
    }

    @Test
    void theWorkshopFitsThreeHoursAndEachLabDaySeven() {
        CoursePlan plan = CoursePlan.load(PROJECT);
        assertTrue(plan.minutes(Track.WORKSHOP, 0) <= 180, "workshop: " + plan.minutes(Track.WORKSHOP, 0) + " min");
        assertTrue(plan.minutes(Track.WORKSHOP, 0) >= 60, "a workshop with less than an hour of content");
        for (int day = 1; day <= 2; day++) {
            assertTrue(plan.minutes(Track.LAB, day) <= 7 * 60, "lab day " + day + ": " + plan.minutes(Track.LAB, day) + " min");
        }
    }

    @TempDir
    Path dir;

    @Test
    void aBadEntrySaysWhichFileAndKey() throws IOException {
        Path f = dir.resolve("course.properties");
        Files.writeString(f, "objective.1=x\ndemo.minutes=5\nlab.day=1\nsemester.week=1\n"
                + "exercise.ch01-x.difficulty=tricky\nexercise.ch01-x.minutes=5\n");
        Chapter c = new Chapter(1, "ch01-x", dir, "X");
        TeachingException e = assertThrows(TeachingException.class, () -> CoursePlan.parse(c, f));
        assertEquals(f + ": difficulty 'tricky' is not easy, medium or hard", e.getMessage());
    }
}
