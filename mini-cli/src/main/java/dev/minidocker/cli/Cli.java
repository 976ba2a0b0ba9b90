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

    /** Where the project is (the ./mini and ./mini-runc launchers): $MINI_HOME, or up from this jar. */
    static Path home() {
        String env = System.getenv("MINI_HOME");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        try {
            Path p = Path.of(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (; p != null; p = p.getParent()) {
                if (java.nio.file.Files.isExecutable(p.resolve("mini-runc"))) {
                    return p;
                }
            }
        } catch (java.net.URISyntaxException | SecurityException e) {
            // fall through
        }
        throw new CliError(RUNTIME_ERROR, "cannot find the mini-docker directory: set MINI_HOME");
    }

    /** A detached container's monitor: conmon ($MINI_CONMON overrides), calling ./mini-runc, and mini's clean-up when it ends. */
    static dev.minidocker.container.engine.Monitor.Programs monitor() {
        String conmon = System.getenv().getOrDefault("MINI_CONMON", "/usr/bin/conmon");
        if (!java.nio.file.Files.isExecutable(Path.of(conmon))) {
            throw new CliError(RUNTIME_ERROR, "detached containers need conmon, their monitor: apt-get install conmon");
        }
        Path home = home();
        return new dev.minidocker.container.engine.Monitor.Programs(conmon, home.resolve("mini-runc").toString(),
                java.util.List.of(home.resolve("mini").toString(), "__reap"));
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
