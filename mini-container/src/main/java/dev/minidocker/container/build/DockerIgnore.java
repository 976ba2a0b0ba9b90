package dev.minidocker.container.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The context's {@code .dockerignore}: one pattern a line ({@code *}, {@code ?}, {@code **} for any
 * number of directories, {@code !} to take a path back). The last pattern that matches a path, or
 * one of its parent directories, decides.
 */
final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exclude) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            boolean exclude = !p.startsWith("!");
            if (!exclude) {
                p = p.substring(1).strip();
            }
            while (p.startsWith("/") || p.startsWith("./")) {
                p = p.substring(p.startsWith("/") ? 1 : 2);
            }
            while (p.endsWith("/") && p.length() > 1) {
                p = p.substring(0, p.length() - 1);
            }
            rules.add(new Rule(Pattern.compile(regex(p)), exclude));
        }
        return new DockerIgnore(rules);
    }

    static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    /** True when {@code path} (relative to the context, with '/') is left out of the build. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule r : rules) {
            if (matchesSelfOrParent(r.pattern(), path)) {
                excluded = r.exclude();
            }
        }
        return excluded;
    }

    private static boolean matchesSelfOrParent(Pattern p, String path) {
        String prefix = path;
        while (true) {
            if (p.matcher(prefix).matches()) {
                return true;
            }
            int slash = prefix.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            prefix = prefix.substring(0, slash);
        }
    }

    private static String regex(String glob) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                i++;
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    i++;
                    r.append("(.*/)?"); // **/ : any number of directories, none included
                } else {
                    r.append(".*");
                }
            } else if (c == '*') {
                r.append("[^/]*");
            } else if (c == '?') {
                r.append("[^/]");
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return r.toString();
    }
}
