package dev.minidocker.vmm.boot;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's serial console on its way to the terminal: passed through unchanged, and watched
 * for what the VMM wants to know: when the first byte came, when init's banner appeared, the
 * status after --exec, a kernel panic, and the last lines (to show when the boot fails).
 */
public final class BootConsole extends FilterOutputStream {
    public static final int KEPT_LINES = 15;
    private static final Pattern EXIT = Pattern.compile(Pattern.quote(DefaultInitramfs.EXIT_MARKER) + "(\\d+)@@");

    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long firstByte;
    private long initSeen;
    private Integer exitStatus;
    private String panic;
    private List<String> beforePanic;
    private int last = '\n';

    public BootConsole(OutputStream out) {
        super(out);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
        last = b;
        if (firstByte == 0) {
            firstByte = System.nanoTime();
        }
        if (b == '\n') {
            endLine();
        } else if (b != '\r' && line.size() < 4096) {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
        }
        lastLines.addLast(text);
        if (initSeen == 0 && text.startsWith(DefaultInitramfs.INIT_BANNER)) {
            initSeen = System.nanoTime();
        }
        Matcher m = EXIT.matcher(text);
        if (m.find()) {
            exitStatus = Integer.parseInt(m.group(1)) & 0xff;
        }
        if (panic == null && text.contains("Kernel panic - not syncing")) {
            panic = text.substring(text.indexOf("Kernel panic")).strip();
            beforePanic = List.copyOf(lastLines);   // what led to it; the call trace after is noise here
        }
    }

    /** System.nanoTime() of the first byte, or 0. */
    public synchronized long firstByteAt() {
        return firstByte;
    }

    /** System.nanoTime() of init's banner, or 0. */
    public synchronized long initAt() {
        return initSeen;
    }

    /** The status init printed after --exec, or null. */
    public synchronized Integer exitStatus() {
        return exitStatus;
    }

    /** The "Kernel panic - not syncing: ..." line, or null. */
    public synchronized String panic() {
        return panic;
    }

    /** The last lines: up to the panic line if the kernel panicked, else up to now. */
    public synchronized List<String> lastLines() {
        if (beforePanic != null) {
            return beforePanic;
        }
        List<String> lines = new java.util.ArrayList<>(lastLines);
        if (line.size() > 0) {
            lines.add(line.toString(StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** Whether the last byte ended a line (so an error message starts on its own line). */
    public synchronized boolean midLine() {
        return last != '\n';
    }
}
