package dev.minidocker.container.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * A Dockerfile as a list of instructions: lines joined where they end in a backslash, comments
 * and blank lines dropped, the keyword upper-cased, leading {@code --flag=value} options split
 * off, and the JSON (exec) form told apart from the shell form.
 */
public final class Dockerfile {
    /** What this builder knows; anything else is an error naming its line. */
    static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "USER", "CMD",
            "ENTRYPOINT", "EXPOSE", "LABEL");

    /**
     * One instruction. {@code args} is the text after the keyword and flags; {@code json} is the
     * exec form's list, or null for the shell form.
     */
    public record Instruction(String file, int line, String keyword, Map<String, String> flags, String args,
                              List<String> json) {
        /** The instruction as written (one line), which is also what the cache and history record. */
        public String text() {
            StringBuilder b = new StringBuilder(keyword);
            flags.forEach((k, v) -> b.append(" --").append(k).append('=').append(v));
            return b.append(' ').append(args).toString();
        }
    }

    private Dockerfile() {
    }

    // tag::parse[]
    public static List<Instruction> parse(String file, String text) {
        List<Instruction> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder logical = new StringBuilder();
        int start = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String trimmed = line.strip();
            if (logical.length() == 0) {
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue; // blank lines and comments (parser directives included) say nothing here
                }
                start = n + 1;
            } else if (trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            out.add(instruction(file, start, logical.toString().strip()));
            logical.setLength(0);
        }
        if (logical.length() > 0) {
            out.add(instruction(file, start, logical.toString().strip()));
        }
        return out;
    }
    // end::parse[]

    private static Instruction instruction(String file, int line, String text) {
        int space = firstSpace(text);
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space).strip();
        if (!KEYWORDS.contains(keyword)) {
            throw new BuildException(file + ":" + line + ": unknown or unsupported instruction " + keyword
                    + " (mini build knows " + String.join(", ", KEYWORDS.stream().sorted().toList()) + ")");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            int end = firstSpace(rest);
            String flag = end < 0 ? rest : rest.substring(0, end);
            int eq = flag.indexOf('=');
            if (eq < 0) {
                throw new BuildException(file + ":" + line + ": flag " + flag + " needs a value (" + flag + "=VALUE)");
            }
            flags.put(flag.substring(2, eq), flag.substring(eq + 1));
            rest = end < 0 ? "" : rest.substring(end).strip();
        }
        List<String> json = null;
        if (rest.startsWith("[") && Set.of("RUN", "CMD", "ENTRYPOINT", "COPY", "ADD").contains(keyword)) {
            json = jsonArray(rest);
        }
        if (rest.isEmpty()) {
            throw new BuildException(file + ":" + line + ": " + keyword + " needs arguments");
        }
        return new Instruction(file, line, keyword, flags, rest, json);
    }

    /** ["a", "b"] as a list, or null when it is not a JSON array of strings (then it is the shell form, as docker reads it). */
    private static List<String> jsonArray(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonElement x : (JsonArray) e) {
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                    return null;
                }
                out.add(x.getAsString());
            }
            return out;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Words split on white space, with "double" and 'single' quotes and backslash escapes (ENV, LABEL, COPY). */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    w.append(text.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                w.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }
}
