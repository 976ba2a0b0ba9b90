package dev.minidocker.container.runtime;

import java.util.List;
import java.util.Map;

/**
 * What the runtime keeps of one container in {@code ROOT/ID/state.json}: the OCI state
 * (runtime.md) plus what it needs to tell a live process from a dead one whose PID was reused
 * (the start time the kernel gives in /proc/PID/stat) and what to remove at delete.
 */
public record RuntimeState(
        String ociVersion,
        String id,
        Status status,
        int pid,
        long pidStartTime,
        String bundle,
        String rootfs,
        String created,
        int owner,
        Map<String, String> annotations,
        String cgroupsPath,
        boolean ownsCgroup,
        List<String> cgroupDirs) {

    public RuntimeState with(Status newStatus) {
        return new RuntimeState(ociVersion, id, newStatus, pid, pidStartTime, bundle, rootfs, created, owner, annotations,
                cgroupsPath, ownsCgroup, cgroupDirs);
    }

    public RuntimeState withProcess(Status newStatus, int newPid, long startTime) {
        return new RuntimeState(ociVersion, id, newStatus, newPid, startTime, bundle, rootfs, created, owner, annotations,
                cgroupsPath, ownsCgroup, cgroupDirs);
    }

    public StateReport report() {
        return new StateReport(ociVersion, id, status, status == Status.STOPPED ? 0 : pid, bundle,
                annotations == null ? Map.of() : annotations);
    }
}
