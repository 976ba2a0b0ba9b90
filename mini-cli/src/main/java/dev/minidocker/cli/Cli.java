package dev.minidocker.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;

/** What the commands share: where mini keeps its files, the root check, and error reporting. */
final class Cli {
    static final int RUNTIME_ERROR = 125;

    private Cli() {
    }

    /** The store of images and containers: $MINI_ROOT, or /var/lib/mini-docker. */
    static Path root() {
        String env = System.getenv("MINI_ROOT");
        return Path.of(env != null && !env.isEmpty() ? env : "/var/lib/mini-docker");
    }

    /** Run-time state that ends with the machine (network leases and namespaces): $MINI_RUN_ROOT, or /run/mini-docker. */
    static Path runRoot() {
        String env = System.getenv("MINI_RUN_ROOT");
        return Path.of(env != null && !env.isEmpty() ? env : "/run/mini-docker");
    }

    /** Exits with 125 and one line unless running as root. */
    static void requireRoot(String what) {
        if (Native.libc().geteuid() != 0) {
            throw new CliError(RUNTIME_ERROR, what + " needs root (namespaces, mounts and cgroups do): run it with sudo");
        }
    }

    /** Turns any failure into one line on stderr and an exit code. */
    static int fail(Exception e) {
        int code = RUNTIME_ERROR;
        String message;
        if (e instanceof CliError c) {
            code = c.exitCode;
            message = c.getMessage();
        } else if (e instanceof ContainerException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (e instanceof SyscallException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e.getClass().getName().startsWith("dev.minidocker.")) { // our own errors say what to do
            message = e.getMessage();
        } else {
            message = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        System.err.println("mini: " + message);
        if ("1".equals(System.getenv("MINI_DEBUG"))) {
            e.printStackTrace();
        }
        return code;
    }

    /** A failure with its exit code and a message that says what to do. */
    static final class CliError extends RuntimeException {
        final int exitCode;

        CliError(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
