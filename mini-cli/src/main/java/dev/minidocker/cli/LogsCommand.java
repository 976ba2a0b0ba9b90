package dev.minidocker.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.engine.LogRecord;
import dev.minidocker.container.engine.Monitor;
import dev.minidocker.container.runtime.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print what a detached container wrote: its stdout to stdout, its stderr to stderr",
                "(the monitor keeps each line with its stream and time, in the k8s-file format)."})
final class LogsCommand implements Callable<Integer> {
    @Option(names = {"-f", "--follow"}, description = "Keep printing what it writes, until it stops.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Only the last N lines (default: all).")
    Integer tail;

    @Option(names = {"-t", "--timestamps"}, description = "Start each line with the time it was written (RFC 3339).")
    boolean timestamps;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    String ref;

    private final OutputStream out = new BufferedOutputStream(new Reader(FileDescriptor.out), 1 << 16);
    private final OutputStream err = new BufferedOutputStream(new Reader(FileDescriptor.err), 1 << 16);

    /** Our stdout or stderr went away (mini logs NAME | head): the reader has all it wanted. */
    private static final class ReaderGone extends RuntimeException {
        ReaderGone(IOException cause) {
            super(cause);
        }
    }

    /** A standard stream whose write errors mean the reader is gone, not that the log is unreadable. */
    private static final class Reader extends FileOutputStream {
        Reader(FileDescriptor fd) {
            super(fd);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                super.write(b, off, len);
            } catch (IOException e) {
                throw new ReaderGone(e);
            }
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        try {
            return show();
        } catch (ReaderGone e) {
            return 0; // as cat(1) would end, with nothing to say
        }
    }

    private Integer show() throws IOException, InterruptedException {
        if (tail != null && tail < 0) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--tail must be 0 or more lines, got " + tail);
        }
        Cli.requireRoot("mini logs");
        Lifecycle life = Engine.lifecycle();
        ContainerState s = life.find(ref);
        Path log = new Monitor.Layout(Path.of(s.bundle())).log();
        if (!s.detached() && !Files.exists(log)) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "container " + s.name()
                    + " ran in the foreground: its output went to the terminal, there is no log (run it with -d)");
        }
        long offset = 0;
        if (tail != null) {
            offset = tailOffset(log, tail);
        }
        while (true) {
            offset = copy(log, offset);
            out.flush();
            err.flush();
            if (!follow) {
                return 0;
            }
            ContainerState now = life.containers().find(s.id()).orElse(null);
            if (now == null || ContainerState.STOPPED.equals(now.status())) {
                copy(log, offset);   // what came between the last read and the end
                out.flush();
                err.flush();
                return 0;
            }
            Thread.sleep(50);
        }
    }

    /** Prints the log's whole lines from offset on; returns the offset after the last whole line. */
    private long copy(Path log, long offset) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            if (f.length() < offset) {
                offset = 0; // the monitor started the file anew (--log-opt max-size)
            }
            f.seek(offset);
            byte[] buf = new byte[1 << 16];
            byte[] line = new byte[1 << 12];
            int len = 0;
            long pos = offset;
            int n;
            while ((n = f.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (len == line.length) {
                        line = java.util.Arrays.copyOf(line, line.length * 2);
                    }
                    line[len++] = buf[i];
                    if (buf[i] == '\n') {
                        print(LogRecord.parse(line, len));
                        pos += len;
                        len = 0;
                    }
                }
            }
            return pos;
        }
    }

    private void print(LogRecord r) throws IOException {
        if (r == null) {
            return;
        }
        OutputStream o = r.stderr() ? err : out;
        if (timestamps) {
            o.write((r.time().replaceFirst("\\+00:00$", "Z") + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        o.write(r.content());
        if (!r.partial()) {
            o.write('\n');
        }
    }

    /** Where the last n lines (whole records) begin. */
    private static long tailOffset(Path log, int n) throws IOException {
        if (!Files.exists(log) || n == 0) {
            return Files.exists(log) ? Files.size(log) : 0;
        }
        ArrayDeque<Long> starts = new ArrayDeque<>();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            byte[] buf = new byte[1 << 16];
            long pos = 0;
            long lineStart = 0;
            boolean full = true;
            int r;
            while ((r = f.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        if (full) {
                            starts.addLast(lineStart);
                            if (starts.size() > n) {
                                starts.removeFirst();
                            }
                        }
                        // a partial record (P) continues the same line: the line starts where its first part did
                        full = isFull(f, lineStart, pos + i);
                        lineStart = pos + i + 1;
                    }
                }
                pos += r;
            }
        }
        return starts.isEmpty() ? 0 : starts.getFirst();
    }

    /** Whether the record ending at end is a full line (tag F), so the next record starts a new line. */
    private static boolean isFull(RandomAccessFile f, long start, long end) throws IOException {
        long here = f.getFilePointer();
        byte[] head = new byte[(int) Math.min(80, end - start)];
        f.seek(start);
        f.readFully(head);
        f.seek(here);
        LogRecord r = LogRecord.parse(head, head.length);
        return r == null || !r.partial();
    }
}
