package dev.minidocker.container.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One record of a container's log as conmon writes it (the k8s-file format of the CRI):
 * {@code TIME STREAM TAG CONTENT}, e.g. {@code 2026-12-01T20:22:46.195260721+00:00 stderr F oops}.
 * TAG is F for a full line, P for a part of a longer line (or one without a newline yet).
 * Keeping the stream in each record is what lets {@code mini logs} give stdout and stderr back apart.
 */
public record LogRecord(String time, boolean stderr, boolean partial, byte[] content) {
    // tag::parse[]
    /** The record in line[0..len) (with or without its '\n'), or null if it is not one. */
    public static LogRecord parse(byte[] line, int len) {
        if (len > 0 && line[len - 1] == '\n') {
            len--;
        }
        int a = indexOf(line, 0, len);            // end of TIME
        int b = a < 0 ? -1 : indexOf(line, a + 1, len); // end of STREAM
        if (b < 0 || b + 2 > len) {
            return null;
        }
        String time = new String(line, 0, a, StandardCharsets.US_ASCII);
        String stream = new String(line, a + 1, b - a - 1, StandardCharsets.US_ASCII);
        boolean partial = line[b + 1] == 'P';
        int contentStart = Math.min(len, b + 3);  // after the tag and its space
        return new LogRecord(time, stream.equals("stderr"), partial, Arrays.copyOfRange(line, contentStart, len));
    }
    // end::parse[]

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ' ') {
                return i;
            }
        }
        return -1;
    }
}
