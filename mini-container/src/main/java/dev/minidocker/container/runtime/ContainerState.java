package dev.minidocker.container.runtime;

/**
 * What is known about a container on disk, in state.json beside its config.json (the OCI
 * runtime spec's "state": id, status, pid, bundle), plus what {@code mini ps} and
 * {@code mini inspect} show.
 *
 * @param ownerPid   the process the container lives with: mini in the foreground, the monitor when detached
 * @param ownerStart that process's start time (proc(5) field 22), so a reused PID is not taken for it
 * @param started    when the command last started (ISO-8601), or null
 * @param finished   when it last ended, or null
 * @param detached   run with -d: a monitor (conmon) holds its stdio, its log and its exit status
 * @param restarts   how often the monitor's restart policy started it again
 */
public record ContainerState(
        String id,
        String name,
        String status,
        int pid,
        String bundle,
        String created,
        String image,
        String command,
        Integer exitCode,
        int ownerPid,
        boolean autoRemove,
        long ownerStart,
        String started,
        String finished,
        boolean detached,
        int restarts) {

    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";

    public ContainerState(String id, String name, String status, int pid, String bundle, String created, String image,
                          String command, Integer exitCode, int ownerPid, boolean autoRemove) {
        this(id, name, status, pid, bundle, created, image, command, exitCode, ownerPid, autoRemove, 0, null, null, false, 0);
    }

    public ContainerState withStatus(String newStatus, int newPid, Integer newExitCode) {
        return new ContainerState(id, name, newStatus, newPid, bundle, created, image, command, newExitCode, ownerPid, autoRemove,
                ownerStart, started, finished, detached, restarts);
    }

    /** The process the container now lives with (a new monitor after {@code mini start}). */
    public ContainerState withOwner(int pid, long startTime, boolean isDetached) {
        return new ContainerState(id, name, status, this.pid, bundle, created, image, command, exitCode, pid, autoRemove,
                startTime, started, finished, isDetached, restarts);
    }

    public ContainerState withTimes(String newStarted, String newFinished) {
        return new ContainerState(id, name, status, pid, bundle, created, image, command, exitCode, ownerPid, autoRemove,
                ownerStart, newStarted, newFinished, detached, restarts);
    }

    public ContainerState withRestarts(int n) {
        return new ContainerState(id, name, status, pid, bundle, created, image, command, exitCode, ownerPid, autoRemove,
                ownerStart, started, finished, detached, n);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}
