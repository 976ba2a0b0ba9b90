package dev.minidocker.chapter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Narration for chapter demos, readable on a projector: numbered steps, lines that fit 100
 * columns, and clear markers for what happens on the host ({@code host$}), inside a container
 * ({@code ctr#}) and inside a virtual machine ({@code guest>}). With {@code --step} it pauses
 * before each step until Enter is pressed. On a terminal the markers are coloured, unless
 * {@code NO_COLOR} is set (https://no-color.org); piped or captured output has no colour.
 */
public final class Narrator {
    /** A projector shows about this many columns in a readable font. */
    public static final int WIDTH = 100;

    /**
     * What an output block that came back empty prints. The book's build (BookSources) fails on
     * it in a step that says what to look at: a transcript must not promise what it does not show.
     */
    public static final String NO_OUTPUT = "(no output)";

    private static final String RESET = "\u001B[0m";
    private static final String BOLD = "\u001B[1m";
    private static final String CYAN = "\u001B[36m";
    private static final String GREEN = "\u001B[32m";
    private static final String BLUE = "\u001B[34m";
    private static final String MAGENTA = "\u001B[35m";
    private static final String YELLOW = "\u001B[33m";

    private final PrintStream out;
    private final boolean step;
    private final boolean colour;
    private final BufferedReader in;
    private int stepNumber;

    /** Plain text (no colour), as tests and the book's transcripts want it. */
    public Narrator(PrintStream out, boolean step) {
        this(out, step, false);
    }

    public Narrator(PrintStream out, boolean step, boolean colour) {
        this.out = out;
        this.step = step;
        this.colour = colour;
        this.in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    /** Reads {@code --step} from a chapter's arguments; colour only on a terminal without NO_COLOR. */
    public static Narrator fromArgs(String[] args) {
        List<String> list = Arrays.asList(args);
        return new Narrator(System.out, list.contains("--step"), colourWanted(System.console() != null,
                System.getenv("NO_COLOR"), System.getenv("TERM")));
    }

    /** Colour needs a terminal, no NO_COLOR (any non-empty value), and a TERM that is not "dumb". */
    static boolean colourWanted(boolean terminal, String noColor, String term) {
        return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(term);
    }

    public boolean stepping() {
        return step;
    }

    /** A chapter's title line. */
    public void title(String title) {
        out.println();
        print("== ", title, "   ", BOLD);
        out.println();
    }

    /** Announces the next step: what is about to happen and what to look at. */
    public void step(String whatHappens, String whatToLookAt) {
        stepNumber++;
        out.println();
        String number = "[" + stepNumber + "] ";
        print(number, whatHappens, " ".repeat(number.length()), BOLD + CYAN);
        if (whatToLookAt != null && !whatToLookAt.isEmpty()) {
            print("    look at: ", whatToLookAt, "             ", YELLOW);
        }
        if (step) {
            out.print("    (Enter to run) ");
            out.flush();
            try {
                in.readLine();
            } catch (IOException e) {
                // no terminal: go on without pausing
            }
        }
    }

    /** A line of explanation. */
    public void say(String line) {
        print("    ", line, "    ", null);
    }

    /** Something observed on the host. */
    public void host(String line) {
        print("  host$ ", line, "        ", GREEN);
    }

    /** Something observed inside the container. */
    public void inside(String line) {
        print("   ctr# ", line, "        ", BLUE);
    }

    /** Each line of a block of output seen inside the container. */
    public void insideLines(String text) {
        eachLine(text, this::inside);
        if (text.isBlank()) {
            inside(NO_OUTPUT);
        }
    }

    /** Something a virtual machine's guest printed (on its serial port or display). */
    public void guest(String line) {
        print(" guest> ", line, "        ", MAGENTA);
    }

    /** Each line of a block of guest output. */
    public void guestLines(String text) {
        eachLine(text, this::guest);
        if (text.isBlank()) {
            guest(NO_OUTPUT);
        }
    }

    /** The chapter's conclusion. */
    public void conclude(String line) {
        out.println();
        print("=> ", line, "   ", BOLD);
    }

    private static void eachLine(String text, java.util.function.Consumer<String> each) {
        for (String l : text.split("\n", -1)) {
            if (!l.isEmpty()) {
                each.accept(l);
            }
        }
    }

    /** Prints {@code prefix + text}, wrapped to WIDTH with {@code indent} before each further line. */
    private void print(String prefix, String text, String indent, String style) {
        int leading = text.length() - text.stripLeading().length();
        if (leading > 0 && leading < WIDTH / 2) {
            indent = indent + " ".repeat(leading); // a wrapped column stays in its column
        }
        List<String> lines = wrap(text, WIDTH - prefix.length());
        for (int i = 0; i < lines.size(); i++) {
            String lead = i == 0 ? prefix : indent;
            if (colour && style != null && i == 0) {
                out.println(style + lead + (style.contains(BOLD) ? lines.get(i) + RESET : RESET + lines.get(i)));
            } else if (colour && style != null && style.contains(BOLD)) {
                out.println(style + lead + lines.get(i) + RESET);
            } else {
                out.println(lead + lines.get(i));
            }
        }
    }

    /**
     * Splits {@code text} into lines of at most {@code width} characters, at spaces where it can
     * (a word longer than a line is cut). Leading spaces, as in a table's columns, are kept.
     */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        String rest = text.stripTrailing();
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            int indentEnd = 0;
            while (indentEnd < rest.length() && rest.charAt(indentEnd) == ' ') {
                indentEnd++;
            }
            if (cut <= indentEnd) {
                cut = width;
            }
            lines.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        lines.add(rest);
        return lines;
    }
}
