package dev.minidocker.container.runtime;

import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;

/**
 * What the runtime tells its init stage beyond config.json, written as {@code init.json} in the
 * container's state directory while the init stage's JVM starts (runc passes the same over its
 * init pipe).
 *
 * @param id             the container's ID
 * @param bundle         the bundle directory (hooks get it in the state)
 * @param spec           the bundle's config.json
 * @param rootfs         root.path made absolute
 * @param hostPid        the init stage's PID as the host sees it (hooks get it in the state)
 * @param execFifo       the FIFO that {@code start} opens: until then the init stage waits
 * @param consoleSocket  where to send the terminal's master (process.terminal), or null
 * @param cgroupProcs    the cgroup.procs files the init stage writes itself into after start
 * @param noPivot        chroot instead of pivot_root (runc's --no-pivot, mini's --isolation chroot)
 * @param preserveFds    descriptors 3 .. 3+N-1 the container keeps (LISTEN_FDS and the like)
 * @param cgroupFds      the cgroup.procs files already open (by the runtime, in a user namespace's
 *                       container that may not open them itself), as descriptor numbers; empty: open cgroupProcs
 */
public record InitConfig(
        String id,
        String bundle,
        ContainerSpec spec,
        String rootfs,
        int hostPid,
        String execFifo,
        String consoleSocket,
        List<String> cgroupProcs,
        boolean noPivot,
        int preserveFds,
        List<Integer> cgroupFds) {
}
