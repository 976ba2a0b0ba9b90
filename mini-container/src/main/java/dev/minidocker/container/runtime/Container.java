package dev.minidocker.container.runtime;

import java.util.concurrent.ExecutionException;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;

/**
 * A container being created, seen from the process that created it: its init stage runs in the
 * new namespaces. Between {@code created} and {@code start} the caller may do more (a foreground
 * run installs its signal forwarding); afterwards {@link #awaitExec} tells whether the command
 * started and {@link #await} waits for it, as only the creating process can (it is the parent).
 */
public final class Container {
    private final String id;
    private final InitProcess init;
    private int controlFd;
    private int syncFd;

    Container(String id, InitProcess init, int controlFd, int syncFd) {
        this.id = id;
        this.init = init;
        this.controlFd = controlFd;
        this.syncFd = syncFd;
    }

    public String id() {
        return id;
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

    /** Tells the waiting init stage to go on, and where its configuration is. */
    void sendConfig(java.nio.file.Path initJson) {
        InitPipes.writeAll(controlFd, "c" + initJson + "\n");
    }

    void send(char c) {
        InitPipes.writeAll(controlFd, String.valueOf(c));
    }

    /** The next message of the init stage: "H", "C", "E..." or null when the pipe closed. */
    String nextMessage() {
        return InitPipes.readLine(syncFd);
    }

    void closeControl() {
        if (controlFd >= 0) {
            Syscalls.close(controlFd);
            controlFd = -1;
        }
    }

    // tag::await-exec[]
    /**
     * After start: reads the sync pipe until it closes. End-of-file with no message means execve
     * succeeded: the user's command is now PID 1.
     */
    public void awaitExec() {
        String line = nextMessage();
        closeSync();
        if (line != null) {
            throw InitFailure.parse(line);
        }
    }
    // end::await-exec[]

    void closeSync() {
        if (syncFd >= 0) {
            Syscalls.close(syncFd);
            syncFd = -1;
        }
    }

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
}
