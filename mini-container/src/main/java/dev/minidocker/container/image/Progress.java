package dev.minidocker.container.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/** Progress lines for long loads: one per layer, and one every few seconds inside a large layer. */
final class Progress {
    private static final long EVERY_NANOS = 2_000_000_000L;
    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    static Progress quiet() {
        return new Progress(null);
    }

    void line(String text) {
        if (out != null) {
            out.println(text);
            out.flush();
        }
    }

    /** Counts bytes read from {@code in} and reports them against {@code total} now and then. */
    InputStream counting(InputStream in, long total, String label) {
        if (out == null) {
            return in;
        }
        return new FilterInputStream(in) {
            private long read;
            private long last = System.nanoTime();

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    add(n);
                }
                return n;
            }

            private void add(long n) {
                read += n;
                long now = System.nanoTime();
                if (now - last > EVERY_NANOS) {
                    last = now;
                    line("    " + label + ": " + size(read) + " of " + size(total)
                            + (total > 0 ? " (" + (100 * read / total) + "%)" : ""));
                }
            }
        };
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format("%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format("%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
