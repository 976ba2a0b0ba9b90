package dev.minidocker.container.runtime;

import java.util.concurrent.ExecutionException;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;

/**
 * A created container, seen from the runtime: its init stage is running in the new
 * namespaces and waits for {@link #start()}. Between the two, the caller can put it into a
 * cgroup; this split is what the OCI runtime's {@code create} and {@code start} are.
 */
public final class Container {
    private volatile ContainerState state;
    private final InitProcess init;
    private int startWriteFd;
    private final int errorReadFd;

    Container(ContainerState state, InitProcess init, int startWriteFd, int errorReadFd) {
        this.state = state;
        this.init = init;
        this.startWriteFd = startWriteFd;
        this.errorReadFd = errorReadFd;
    }

    public ContainerState state() {
        return state;
    }

    void state(ContainerState updated) {
        this.state = updated;
    }

    /** The init process's PID as the host sees it (inside the container it is 1). */
    public int pid() {
        try {
            return init.pid.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "interrupted while creating the container");
        }
    }

    // tag::start[]
    /**
     * Sends the start byte, then reads the error pipe until it closes. End-of-file with no
     * message means execve succeeded: the user's command is now PID 1.
     */
    public void start() {
        InitPipes.writeAll(startWriteFd, "s");
        Syscalls.close(startWriteFd);
        startWriteFd = -1;
        String error = InitPipes.readAll(errorReadFd);
        Syscalls.close(errorReadFd);
        if (!error.isEmpty()) {
            int space = error.indexOf(' ');
            int code = ExitStatus.RUNTIME_ERROR;
            try {
                code = Integer.parseInt(error.substring(0, space));
            } catch (RuntimeException e) {
                // a malformed message is still reported, as a runtime error
            }
            throw new ContainerException(code, error.substring(space + 1).trim());
        }
    }
    // end::start[]

    /** Waits for the container's PID 1 to end and returns its exit code (128+N if killed by N). */
    public int await() {
        try {
            int status = init.waitStatus.get();
            init.join();
            return ExitStatus.fromWaitStatus(status);
        } catch (ExecutionException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "interrupted while waiting for the container");
        }
    }

    /** Sends a signal to the container's PID 1. */
    public void kill(int signal) {
        int pid = init.pid.getNow(-1);
        if (pid > 0) {
            Native.libc().kill(pid, signal);
        }
    }

    /** Abandons a created container that will not be started: its init stage sees EOF and exits. */
    void abandon() {
        if (startWriteFd >= 0) {
            Syscalls.close(startWriteFd);
            startWriteFd = -1;
        }
    }
}
