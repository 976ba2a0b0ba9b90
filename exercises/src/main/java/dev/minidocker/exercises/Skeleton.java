package dev.minidocker.exercises;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Turns a reference source into the learner's starting point: the lines between an exercise's
 * markers become one statement that throws with the hint. The markers stay, so the learner can
 * find the gap and the grader can find the answer.
 */
public final class Skeleton {
    private Skeleton() {
    }

    /** {@code text} with exercise {@code id}'s region blanked. */
    public static String blank(String text, String id) {
        List<String> lines = lines(text);
        int[] r = Markers.region(lines, id);
        Matcher b = Markers.begin(lines.get(r[0]));
        String indent = b.group(1);
        String hint = b.group(3);
        return join(lines, r, List.of(indent + placeholder(id, hint, tailOfBlock(lines, r[1]))), text);
    }

    /** The statement that stands in for the region. */
    static String placeholder(String id, String hint, boolean tailOfBlock) {
        String t = "throw new UnsupportedOperationException(\"Exercise " + id + ": " + javaString(hint) + "\");";
        // Statements after a bare throw would be unreachable, which javac rejects; "if (true)" keeps
        // the rest of the method compiling while still throwing first.
        return tailOfBlock ? t : "if (true) " + t;
    }

    /** The region's code (between the markers) in {@code text}. */
    public static List<String> body(String text, String id) {
        List<String> lines = lines(text);
        int[] r = Markers.region(lines, id);
        return new ArrayList<>(lines.subList(r[0] + 1, r[1]));
    }

    /** {@code text} with the region's code replaced by {@code body}. */
    public static String withBody(String text, String id, List<String> body) {
        List<String> lines = lines(text);
        return join(lines, Markers.region(lines, id), body, text);
    }

    /** True when the region is still the untouched placeholder. */
    public static boolean isBlank(String text, String id) {
        List<String> body = body(text, id);
        return body.size() == 1 && body.get(0).contains("new UnsupportedOperationException(\"Exercise " + id + ":");
    }

    private static boolean tailOfBlock(List<String> lines, int endMarker) {
        for (int i = endMarker + 1; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.isEmpty() || t.startsWith("//")) {
                continue;
            }
            return t.startsWith("}");
        }
        return true;
    }

    private static String join(List<String> lines, int[] r, List<String> body, String original) {
        List<String> out = new ArrayList<>(lines.subList(0, r[0] + 1));
        out.addAll(body);
        out.addAll(lines.subList(r[1], lines.size()));
        String joined = String.join("\n", out);
        return original.endsWith("\n") ? joined + "\n" : joined;
    }

    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static String javaString(String s) {
        String plain = s.replace("\\\"", "\"");
        return plain.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
