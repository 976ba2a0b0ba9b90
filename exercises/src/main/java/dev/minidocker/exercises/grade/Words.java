package dev.minidocker.exercises.grade;

/** Test names in plain words: {@code processInsideSeesItselfAsPid1} is "process inside sees itself as pid 1". */
public final class Words {
    private Words() {
    }

    public static String fromIdentifier(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            char prev = i > 0 ? name.charAt(i - 1) : ' ';
            char next = i + 1 < name.length() ? name.charAt(i + 1) : ' ';
            if (c == '_') {
                out.append(' ');
                continue;
            }
            boolean boundary = i > 0 && prev != '_' && (
                    (Character.isUpperCase(c) && (Character.isLowerCase(prev) || Character.isDigit(prev)
                            || (Character.isUpperCase(prev) && Character.isLowerCase(next))))
                    || (Character.isDigit(c) && !Character.isDigit(prev))
                    || (Character.isLetter(c) && Character.isDigit(prev)));
            if (boundary) {
                out.append(' ');
            }
            // Keep acronyms (PID, UTS) as written; lower-case ordinary words.
            boolean acronym = Character.isUpperCase(c)
                    && (Character.isUpperCase(next) || (Character.isUpperCase(prev) && !Character.isLowerCase(next)));
            out.append(acronym ? c : Character.toLowerCase(c));
        }
        return out.toString().replaceAll(" +", " ").trim();
    }
}
