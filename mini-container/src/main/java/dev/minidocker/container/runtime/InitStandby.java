package dev.minidocker.container.runtime;

import java.util.HashSet;
import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Signals;
import dev.minidocker.sys.Syscalls;

/**
 * An init stage started before its container is known. Its JVM takes a few hundred milliseconds
 * to start, and it needs nothing but its namespaces for that: it reads its configuration only
 * once the runtime sends where init.json is. So {@code mini run} spawns one first and lets it boot
 * while the engine resolves the image, writes the bundle and makes the cgroup; create then takes it
 * instead of spawning another, if it was started in the namespaces the spec asks for.
 *
 * <p>Unused, it leaves nothing behind: it has no files and no cgroup yet, and it ends when
 * closed, or when its control pipe closes, which this JVM's end (even by SIGKILL) does too.
 */
public final class InitStandby implements AutoCloseable {
    private final List<ContainerSpec.Namespace> namespaces;
    private final Stdio stdio;
    private InitProcess init;
    private int controlWrite;
    private int syncRead;
    private final int controlRead;
    private final int syncWrite;

    private InitStandby(List<ContainerSpec.Namespace> namespaces, Stdio stdio, InitProcess init, int[] control, int[] sync) {
        this.namespaces = namespaces;
        this.stdio = stdio;
        this.init = init;
        this.controlRead = control[0];
        this.controlWrite = control[1];
        this.syncRead = sync[0];
        this.syncWrite = sync[1];
    }

    /** Spawns an init stage in new namespaces of these types, for a foreground container with this stdio. */
    public static InitStandby spawn(List<ContainerSpec.Namespace> namespaces, Stdio stdio) {
        if (namespaces.stream().anyMatch(n -> n.path() != null && !n.path().isEmpty())) {
            throw new IllegalArgumentException("a standby init stage only creates namespaces; it joins none");
        }
        int[] control = InitProcess.cloexecPipe();
        int[] sync = InitProcess.cloexecPipe();
        InitProcess init = InitProcess.spawn("standby", namespaces, stdio, control[0], sync[1], 0, true);
        return new InitStandby(List.copyOf(namespaces), stdio, init, control, sync);
    }

    /** Whether a create with these namespaces and options can use this init stage. */
    boolean fits(List<ContainerSpec.Namespace> wanted, ContainerRuntime.CreateOptions o) {
        return init != null && o.foreground() && o.preserveFds() == 0 && o.consoleSocket() == null && stdio.equals(o.stdio())
                && new HashSet<>(namespaces).equals(new HashSet<>(wanted)) && wanted.size() == namespaces.size();
    }

    /** The waiting init stage as container {@code id}; this standby no longer owns it. */
    Container take(String id) {
        Container c = new Container(id, init, controlWrite, syncRead);
        init = null;
        dev.minidocker.sys.Trace.mark("runtime: the waiting init stage taken (InitStandby)");
        try {
            c.pid(); // spawned (or failed)
        } finally {
            closeChildEnds();
        }
        return c;
    }

    /** The init stage's PID as the host sees it, once spawned (for tests: -1 when taken or closed). */
    int pid() {
        return init == null ? -1 : new Container("standby", init, -1, -1).pid();
    }

    /** Ends the init stage unless a create took it. */
    @Override
    public void close() {
        if (init == null) {
            return;
        }
        Container c = new Container("standby", init, controlWrite, syncRead);
        init = null;
        try {
            c.pid();          // spawned: end it, and reap it
            c.kill(Signals.SIGKILL);
            c.await();
        } catch (RuntimeException e) {
            // it never started: nothing to end
        } finally {
            closeChildEnds();
            c.closeControl();
            c.closeSync();
        }
    }

    private void closeChildEnds() {
        Syscalls.close(controlRead);
        Syscalls.close(syncWrite);
    }
}
