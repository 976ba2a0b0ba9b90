package dev.minidocker.container.runtime;

/**
 * What is known about a container on disk, in state.json beside its config.json (the OCI
 * runtime spec's "state": id, status, pid, bundle), plus what {@code mini ps} shows.
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
        boolean autoRemove) {

    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";

    public ContainerState withStatus(String newStatus, int newPid, Integer newExitCode) {
        return new ContainerState(id, name, newStatus, newPid, bundle, created, image, command, newExitCode, ownerPid, autoRemove);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}
