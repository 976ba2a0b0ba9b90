package dev.minidocker.container.build;

import java.util.Map;

/**
 * Dockerfile variables: {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}} and
 * {@code ${NAME:+alternative}}, replaced in the instructions that take them (not in RUN, whose
 * shell expands them itself from the environment). {@code \$} is a literal dollar.
 */
final class Substitution {
    private Substitution() {
    }

    static String expand(String text, Map<String, String> vars) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new BuildException("unterminated ${ in \"" + text + "\"");
                }
                out.append(braced(text.substring(i + 2, end), vars));
                i = end + 1;
            } else if (c == '$' && i + 1 < text.length() && isNameChar(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < text.length() && isNameChar(text.charAt(end))) {
                    end++;
                }
                out.append(vars.getOrDefault(text.substring(i + 1, end), ""));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String braced(String inner, Map<String, String> vars) {
        int op = inner.indexOf(':');
        if (op < 0) {
            return vars.getOrDefault(inner, "");
        }
        String name = inner.substring(0, op);
        String word = inner.substring(op + 2);
        String value = vars.get(name);
        boolean set = value != null && !value.isEmpty();
        return switch (op + 1 < inner.length() ? inner.charAt(op + 1) : ' ') {
            case '-' -> set ? value : word;
            case '+' -> set ? word : "";
            default -> throw new BuildException("unsupported substitution ${" + inner + "} (use ${NAME:-default} or ${NAME:+word})");
        };
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
