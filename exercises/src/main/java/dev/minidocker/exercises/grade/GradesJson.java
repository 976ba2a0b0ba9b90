package dev.minidocker.exercises.grade;

import java.util.List;
import java.util.Locale;

import dev.minidocker.exercises.Workspace;

/** Grades as one JSON object, for scripts: the student, and per exercise its verdict and counts. */
public final class GradesJson {
    private GradesJson() {
    }

    public static String of(String student, List<GradedExercise> grades) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"student\": ").append(quote(student)).append(",\n");
        sb.append("  \"passing\": ").append(grades.stream().filter(GradedExercise::passed).count()).append(",\n");
        sb.append("  \"total\": ").append(grades.size()).append(",\n");
        sb.append("  \"exercises\": [");
        for (int i = 0; i < grades.size(); i++) {
            GradedExercise g = grades.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("    {\"id\": ").append(quote(g.exercise().id()));
            sb.append(", \"chapter\": ").append(quote(g.exercise().chapter().id()));
            sb.append(", \"verdict\": ").append(quote(g.verdict()));
            sb.append(", \"solutionShown\": ").append(g.state() == Workspace.State.SOLUTION);
            if (g.started()) {
                Grader.Result r = g.result();
                sb.append(", \"passed\": ").append(r.count("PASS"));
                sb.append(", \"failed\": ").append(r.compiled() ? r.count("FAIL") : 1);
                sb.append(", \"skipped\": ").append(r.count("SKIP"));
                sb.append(", \"seconds\": ").append(String.format(Locale.ROOT, "%.1f", r.millis() / 1000.0));
            }
            sb.append('}');
        }
        sb.append(grades.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
