package dev.minidocker.exercises.book;

import java.util.List;
import java.util.stream.Collectors;

import dev.minidocker.exercises.CoursePlan;
import dev.minidocker.exercises.CoursePlan.ChapterPlan;
import dev.minidocker.exercises.CoursePlan.ExercisePlan;
import dev.minidocker.exercises.CoursePlan.Track;
import dev.minidocker.exercises.Exercise;

/**
 * The generated part of the book's course plan: objectives per chapter, the exercises with their
 * difficulty and time, and the three tracks with what each covers and how long it takes. All of it
 * comes from the chapters' {@code course.properties}, so a new chapter appears here by itself.
 */
final class CoursePlanPage {
    private CoursePlanPage() {
    }

    static String of(CoursePlan plan, List<Exercise> exercises) {
        StringBuilder sb = new StringBuilder();
        sb.append("[[course-objectives]]\n== Learning objectives\n\n");
        sb.append("[cols=\"2,5\"]\n|===\n|Chapter |You learn to\n\n");
        for (ChapterPlan p : plan.chapters()) {
            sb.append("|").append(p.chapter().label()).append("\na|\n");
            p.objectives().forEach(o -> sb.append("* ").append(o).append('\n'));
            sb.append('\n');
        }
        sb.append("|===\n\n");

        sb.append("[[course-exercises]]\n== The exercises\n\n");
        sb.append("Times are for a student who has read the chapter and seen its demo. `./mini exercise list`"
                + " shows the same columns.\n\n");
        sb.append("[cols=\"4,1,2,2,3\"]\n|===\n|Exercise |Chapter |Difficulty |Time |Tracks\n\n");
        for (Exercise e : exercises) {
            ExercisePlan x = plan.exercise(e).orElse(null);
            sb.append("|`").append(e.id()).append("` |").append(e.chapter().number()).append(" |")
                    .append(x == null ? "-" : x.difficulty().word()).append(" |")
                    .append(x == null ? "-" : x.minutes() + " min").append(" |")
                    .append(x == null ? "-" : x.tracks().stream().map(t -> t.key).collect(Collectors.joining(", ")))
                    .append('\n');
        }
        sb.append("|===\n\n");

        sb.append("[[course-tracks]]\n== Three tracks\n\n");
        workshop(sb, plan);
        lab(sb, plan);
        semester(sb, plan);
        return sb.toString();
    }

    private static void workshop(StringBuilder sb, CoursePlan plan) {
        int total = plan.minutes(Track.WORKSHOP, 0);
        sb.append("=== A 3-hour workshop\n\n");
        sb.append("The presenter runs the demos with `--step`; the audience does the exercises marked for the"
                + " workshop on their own machines (root, or a course VM). Demos and exercises take " + total
                + " minutes, which leaves " + (180 - total) + " for the introduction, questions and a break.\n\n");
        sb.append("[cols=\"3,5,1\"]\n|===\n|Chapter |Demo and exercises |Minutes\n\n");
        for (ChapterPlan p : plan.chapters()) {
            List<ExercisePlan> ex = in(p, Track.WORKSHOP);
            if (!p.workshop() && ex.isEmpty()) {
                continue;
            }
            int minutes = (p.workshop() ? p.demoMinutes() : 0) + ex.stream().mapToInt(ExercisePlan::minutes).sum();
            sb.append("|").append(p.chapter().label()).append(" |")
                    .append(p.workshop() ? "`./mini chapter " + p.chapter().number() + " --step`" : "")
                    .append(ids(ex, p.workshop() ? ", then " : "")).append(" |").append(minutes).append('\n');
        }
        sb.append("|===\n\n");
    }

    private static void lab(StringBuilder sb, CoursePlan plan) {
        sb.append("=== A two-day lab\n\n");
        sb.append("Day 1 builds the container runtime, day 2 the virtual machine monitor. Each chapter: read it,"
                + " run its demo, then do its exercises.\n\n");
        for (int day = 1; day <= 2; day++) {
            sb.append(".Day ").append(day).append(": ").append(plan.minutes(Track.LAB, day) / 60).append(" h ")
                    .append(plan.minutes(Track.LAB, day) % 60).append(" min of demos and exercises\n");
            sb.append("[cols=\"3,5,1\"]\n|===\n|Chapter |Exercises |Minutes\n\n");
            for (ChapterPlan p : plan.chapters()) {
                if (p.labDay() != day) {
                    continue;
                }
                List<ExercisePlan> ex = in(p, Track.LAB);
                int minutes = p.demoMinutes() + ex.stream().mapToInt(ExercisePlan::minutes).sum();
                sb.append("|").append(p.chapter().label()).append(" |").append(ids(ex, "")).append(" |")
                        .append(minutes).append('\n');
            }
            sb.append("|===\n\n");
        }
    }

    private static void semester(StringBuilder sb, CoursePlan plan) {
        sb.append("=== A 12-week semester\n\n");
        sb.append("One chapter a week: a lecture on its mechanism with the demo, a lab session for its exercises,"
                + " graded with `./mini exercise report --junit-xml` (see <<course-grading>>). A week without a"
                + " chapter is for review and a project of the students' own.\n\n");
        sb.append("[cols=\"1,4,5\"]\n|===\n|Week |Chapter |Exercises\n\n");
        for (int week = 1; week <= 12; week++) {
            final int w = week;
            List<ChapterPlan> those = plan.chapters().stream().filter(p -> p.semesterWeek() == w).toList();
            if (those.isEmpty()) {
                sb.append("|").append(week).append(" |review and project |\n");
            }
            for (ChapterPlan p : those) {
                sb.append("|").append(week).append(" |").append(p.chapter().label()).append(" |")
                        .append(ids(in(p, Track.SEMESTER), "")).append('\n');
            }
        }
        sb.append("|===\n\n");
    }

    private static List<ExercisePlan> in(ChapterPlan p, Track t) {
        return p.exercises().values().stream().filter(x -> x.tracks().contains(t)).toList();
    }

    private static String ids(List<ExercisePlan> ex, String lead) {
        if (ex.isEmpty()) {
            return "";
        }
        return lead + ex.stream().map(x -> "`" + x.id() + "` (" + x.minutes() + " min)").collect(Collectors.joining(", "));
    }
}
