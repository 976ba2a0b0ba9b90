package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A real process for the integration tests: {@code /bin/sh} running a script that first waits for
 * a line on its stdin. The test puts the process into the cgroup, then says "go", so everything
 * the script does happens inside the cgroup, as in a container whose init waits for its start signal.
 */
final class Workload implements AutoCloseable {
    private final Process process;

    private Workload(Process process) {
        this.process = process;
    }

    static Workload start(String script) {
        try {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "read go; " + script);
            pb.redirectErrorStream(true);
            return new Workload(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int pid() {
        return (int) process.pid();
    }

    /** The start signal: the script runs from here on. */
    void go() {
        try {
            OutputStream in = process.getOutputStream();
            in.write('\n');
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the shell to exit and returns its status (128 + N when killed by signal N). */
    int waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("workload still running after 60 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Everything the script wrote to stdout and stderr; call after {@link #waitFor}. */
    String output() {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
