package dev.minidocker.exercises;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The marker syntax, one place:
 * <pre>
 *     // exercise:begin ID "one-line hint"
 *     ... real code ...
 *     // exercise:end ID
 * </pre>
 */
public final class Markers {
    static final Pattern BEGIN = Pattern.compile("^(\\s*)//\\s*exercise:begin\\s+(\\S+)\\s+\"(.*)\"\\s*$");
    static final Pattern END = Pattern.compile("^\\s*//\\s*exercise:end\\s+(\\S+)\\s*$");
    static final Pattern ID = Pattern.compile("ch\\d\\d-[a-z0-9]+(-[a-z0-9]+)*");

    private Markers() {
    }

    /** Begin marker of {@code id}: [indent, id, hint], or null. */
    static Matcher begin(String line) {
        Matcher m = BEGIN.matcher(line);
        return m.matches() ? m : null;
    }

    static String endId(String line) {
        Matcher m = END.matcher(line);
        return m.matches() ? m.group(1) : null;
    }

    static boolean mentionsMarker(String line) {
        return line.contains("exercise:begin") || line.contains("exercise:end");
    }

    /** 0-based indexes of the begin and end marker lines of {@code id} in {@code lines}. */
    public static int[] region(List<String> lines, String id) {
        int begin = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher b = begin(lines.get(i));
            if (b != null && b.group(2).equals(id)) {
                begin = i;
            } else if (begin >= 0 && id.equals(endId(lines.get(i)))) {
                return new int[] {begin, i};
            }
        }
        throw new TeachingException("the markers of exercise " + id + " are missing or broken in this file;"
                + " restore them (exercise:begin/exercise:end) or run: ./mini exercise reset " + id);
    }
}
