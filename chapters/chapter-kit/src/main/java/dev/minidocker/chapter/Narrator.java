package dev.minidocker.chapter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Narration for chapter demos, readable on a projector: short lines, numbered steps, and clear
 * markers for what happens on the host ({@code host$}) and inside a container ({@code  ctr#}).
 * With {@code --step} it pauses before each step until Enter is pressed.
 */
public final class Narrator {
    private final PrintStream out;
    private final boolean step;
    private final BufferedReader in;
    private int stepNumber;

    public Narrator(PrintStream out, boolean step) {
        this.out = out;
        this.step = step;
        this.in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    /** Reads {@code --step} from a chapter's arguments. */
    public static Narrator fromArgs(String[] args) {
        List<String> list = Arrays.asList(args);
        return new Narrator(System.out, list.contains("--step"));
    }

    public boolean stepping() {
        return step;
    }

    /** A chapter's title line. */
    public void title(String title) {
        out.println();
        out.println("== " + title);
        out.println();
    }

    /** Announces the next step: what is about to happen and what to look at. */
    public void step(String whatHappens, String whatToLookAt) {
        stepNumber++;
        out.println();
        out.println("[" + stepNumber + "] " + whatHappens);
        if (whatToLookAt != null && !whatToLookAt.isEmpty()) {
            out.println("    look at: " + whatToLookAt);
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
        out.println("    " + line);
    }

    /** Something observed on the host. */
    public void host(String line) {
        out.println("  host$ " + line);
    }

    /** Something observed inside the container or guest. */
    public void inside(String line) {
        out.println("   ctr# " + line);
    }

    /** Each line of a block of output seen inside. */
    public void insideLines(String text) {
        for (String l : text.split("\n", -1)) {
            if (!l.isEmpty()) {
                inside(l);
            }
        }
    }

    /** The chapter's conclusion. */
    public void conclude(String line) {
        out.println();
        out.println("=> " + line);
    }
}
