package dev.minidocker.lab;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the guest's serial console line by line and separates the command's output from the
 * rest. Everything before {@code @@MINI-LAB-START <nonce>@@} is boot noise (firmware, kernel),
 * kept only to explain a failed boot; after it every line is the command's output, until
 * {@code @@MINI-LAB-EXIT <nonce> <status>@@}, which may follow output that did not end its
 * line. Markers carrying another nonce are ordinary output.
 */
public final class ConsoleProtocol {
    /** What one console line meant. */
    public sealed interface Event permits Output, Exit, Noise {
    }

    /** A line of the command's output, without the line end. */
    public record Output(String text) implements Event {
    }

    /** The command finished; {@code textBefore} is output that shared the marker's line. */
    public record Exit(int status, String textBefore) implements Event {
    }

    /** A line before the command started (or after it ended). */
    public record Noise(String text) implements Event {
    }

    private static final int KEPT_NOISE_LINES = 40;

    private final String startMarker;
    private final String exitMarkerHead;
    private final Pattern exitMarker;
    private final Deque<String> noise = new ArrayDeque<>();
    private boolean started;
    private OptionalInt status = OptionalInt.empty();

    public ConsoleProtocol(String nonce) {
        this.startMarker = "@@MINI-LAB-START " + nonce + "@@";
        this.exitMarkerHead = "@@MINI-LAB-EXIT " + nonce + " ";
        this.exitMarker = Pattern.compile("@@MINI-LAB-EXIT " + Pattern.quote(nonce) + " (\\d{1,3})@@");
    }

    /** Classifies one line as read from the console (a trailing carriage return is dropped). */
    public Event line(String raw) {
        String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (status.isPresent()) {
            return remember(text);
        }
        Matcher exit = exitMarker.matcher(text);
        if (exit.find()) {
            status = OptionalInt.of(Integer.parseInt(exit.group(1)));
            return new Exit(status.getAsInt(), text.substring(0, exit.start()));
        }
        if (!started) {
            if (text.endsWith(startMarker)) {
                started = true;
                return new Noise(text);
            }
            return remember(text);
        }
        return new Output(text);
    }

    /**
     * How much of an unfinished line can be shown already: all of it, unless its end could be
     * the beginning of the exit marker, which must not reach the screen.
     */
    public int safeLength(CharSequence partialLine) {
        for (int i = 0; i < partialLine.length(); i++) {
            if (partialLine.charAt(i) == '@') {
                int n = Math.min(exitMarkerHead.length(), partialLine.length() - i);
                if (exitMarkerHead.regionMatches(0, partialLine.subSequence(i, i + n).toString(), 0, n)) {
                    return i;
                }
            }
        }
        return partialLine.length();
    }

    /** Whether the command has started inside the guest. */
    public boolean started() {
        return started;
    }

    /** The command's exit status, once its marker was read. */
    public OptionalInt status() {
        return status;
    }

    /** The last lines of boot noise, to show when the guest never ran the command. */
    public List<String> lastNoise() {
        return List.copyOf(noise);
    }

    private Noise remember(String text) {
        // firmware clears the screen with escape sequences: keep only what a person can read
        String readable = text.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]|\u001bc", "").strip();
        if (!readable.isEmpty()) {
            noise.addLast(readable);
            if (noise.size() > KEPT_NOISE_LINES) {
                noise.removeFirst();
            }
        }
        return new Noise(text);
    }
}
