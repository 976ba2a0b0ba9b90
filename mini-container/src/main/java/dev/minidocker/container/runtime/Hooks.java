package dev.minidocker.container.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Spawn;
import dev.minidocker.sys.Syscalls;

/**
 * OCI hooks (config.md "POSIX-platform Hooks"): programs run at points of the lifecycle with the
 * container's state as JSON on their standard input, each with only the environment it names,
 * killed after its timeout. They are spawned with posix_spawn, not ProcessBuilder: the JDK's
 * launcher helper lives under java.home, which is gone once the init stage has pivoted.
 */
public final class Hooks {
    private static final int SIGKILL = 9;

    private Hooks() {
    }

    /**
     * Runs the hooks in order. A failing hook of a phase that must succeed (prestart,
     * createRuntime, createContainer, startContainer) stops the container; poststart and poststop
     * failures are only reported, as the spec asks.
     */
    public static void run(String phase, List<ContainerSpec.Hook> hooks, String stateJson, boolean mustSucceed) {
        for (ContainerSpec.Hook h : hooks) {
            String failure = runOne(h, stateJson);
            if (failure != null) {
                String message = phase + " hook " + h.path() + " " + failure;
                if (mustSucceed) {
                    throw new IllegalStateException(message);
                }
                System.err.println("mini-runc: warning: " + message);
            }
        }
    }

    /** Null when the hook exited 0, else what went wrong. */
    private static String runOne(ContainerSpec.Hook h, String stateJson) {
        List<String> argv = new ArrayList<>(h.args() == null || h.args().isEmpty() ? List.of(h.path()) : h.args());
        int[] stdin = Syscalls.pipe2(02000000);
        byte[] state = stateJson.getBytes(StandardCharsets.UTF_8);
        int pid;
        try {
            Spawn spawn = new Spawn(argv, h.env() == null ? List.of() : h.env()).program(h.path()).dup2(stdin[0], 0);
            pid = spawn.start();
        } finally {
            Syscalls.close(stdin[0]);
        }
        Syscalls.write(stdin[1], state, state.length); // a state is far smaller than a pipe's buffer
        Syscalls.close(stdin[1]);
        long deadline = System.nanoTime() + (h.timeout() == null ? Long.MAX_VALUE / 2 : h.timeout() * 1_000_000_000L);
        while (true) {
            int status = Syscalls.waitpidNoHang(pid);
            if (status != -1) {
                int code = ExitStatus.fromWaitStatus(status);
                return code == 0 ? null : "exited with status " + code;
            }
            if (System.nanoTime() > deadline) {
                Native.libc().kill(pid, SIGKILL);
                Syscalls.waitpid(pid);
                return "timed out after " + h.timeout() + " s";
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }
}
