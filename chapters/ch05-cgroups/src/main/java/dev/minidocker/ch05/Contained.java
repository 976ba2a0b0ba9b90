package dev.minidocker.ch05;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.minidocker.container.cgroup.Cgroup;

/**
 * A shell script run inside a cgroup from its first instruction: the shell waits for a line on
 * stdin, we move it into the cgroup, then let it go. This is the container's start signal in
 * miniature: limits must hold before the command does anything.
 */
public final class Contained implements AutoCloseable {
    private final Process process;

    private Contained(Process process) {
        this.process = process;
    }

    // tag::start[]
    /** Starts {@code /bin/sh -c SCRIPT} inside {@code cgroup}. */
    public static Contained start(Cgroup cgroup, String script) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "read go; " + script).redirectErrorStream(true);
        Contained c;
        try {
            c = new Contained(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cgroup.addProcess((int) c.process.pid()); // children forked from now on are born inside
        try (OutputStream go = c.process.getOutputStream()) {
            go.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }
    // end::start[]

    /** Waits for the shell; its status is 128 + N when signal N killed it (137: SIGKILL). */
    public int waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("still running after 60 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** What the script printed (stdout and stderr), once it has exited. */
    public String output() {
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
