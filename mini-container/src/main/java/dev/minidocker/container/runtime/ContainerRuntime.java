package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.minidocker.container.cgroup.Cgroup;
import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.cgroup.DevicesController;
import dev.minidocker.container.security.DeviceFallback;
import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.cgroup.SpecLimits;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * The OCI runtime (runtime.md "Lifecycle" and "Operations"): create, start, state, kill and
 * delete of a container described by a bundle's config.json, with its state kept under a runtime
 * root so that each operation can be a separate process, as engines call them. {@code mini-runc}
 * is its command line; {@code mini run} calls the same methods in one process.
 */
public final class ContainerRuntime {
    private static final int SIGKILL = 9;
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;

    /** mini run's --cgroup-driver, passed in the spec's annotations. */
    public static final String CGROUP_DRIVER_ANNOTATION = "dev.minidocker.cgroup-driver";

    private final StateStore store;

    public ContainerRuntime(Path root) {
        this.store = new StateStore(root);
    }

    public StateStore store() {
        return store;
    }

    /**
     * How a create is done beyond config.json (runc's create flags).
     *
     * @param pidFile       where to write the init process's PID (null: nowhere)
     * @param consoleSocket the unix socket to send the terminal's master to, for process.terminal
     * @param noPivot       chroot instead of pivot_root
     * @param preserveFds   descriptors 3 .. 3+N-1 the container keeps
     * @param foreground    the container dies with this process (mini run, runc run) rather than outliving it
     * @param stdio         where the container's stdio goes (inherit: this process's own)
     * @param standby       an init stage already started, taken if it fits (else closed); null: none
     */
    public record CreateOptions(String pidFile, String consoleSocket, boolean noPivot, int preserveFds,
                                boolean foreground, Stdio stdio, InitStandby standby) {
        public CreateOptions(String pidFile, String consoleSocket, boolean noPivot, int preserveFds, boolean foreground, Stdio stdio) {
            this(pidFile, consoleSocket, noPivot, preserveFds, foreground, stdio, null);
        }

        public static CreateOptions foreground(Stdio stdio) {
            return new CreateOptions(null, null, false, 0, true, stdio);
        }

        public CreateOptions withStandby(InitStandby s) {
            return new CreateOptions(pidFile, consoleSocket, noPivot, preserveFds, foreground, stdio, s);
        }
    }

    // tag::create[]
    /** create: builds the container from the bundle; returns once its init stage waits for start. */
    public Container create(String id, Path bundle, CreateOptions o) {
        ContainerSpec spec = SpecCheck.read(bundle);
        Path dir = store.claim(id);
        Path rootfs = bundle.resolve(spec.root().path()).toAbsolutePath().normalize();
        Container container = null;
        RuntimeState state = null;
        try (AutoCloseable lock = store.lock(id)) {
            if (!Files.isDirectory(rootfs)) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR, "root.path " + rootfs + " is not a directory");
            }
            if (spec.process().isTerminal() && o.consoleSocket() == null) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                        "process.terminal is true: pass --console-socket (the engine's end of the terminal)");
            }
            UserNamespaceStart userns = UserNamespaceStart.of(spec, dir, rootfs);
            if (userns == null) {
                // the init stage's JVM starts first and boots while the rest is made: it needs only its namespaces
                container = o.standby() != null && o.standby().fits(namespaces(spec), o)
                        ? o.standby().take(id) : spawnInit(id, spec, o, null, List.of());
            }
            boolean noPivot = o.noPivot() || "chroot".equals(annotations(spec).get(ContainerSpec.ISOLATION_ANNOTATION));
            String cgroupsPath = spec.linux() != null && spec.linux().cgroupsPath() != null && !spec.linux().cgroupsPath().isEmpty()
                    ? spec.linux().cgroupsPath() : "/mini-docker/" + id;
            state = new RuntimeState(ContainerSpec.OCI_VERSION, id, Status.CREATING, 0, 0, bundle.toAbsolutePath().toString(),
                    rootfs.toString(), Instant.now().toString(), (int) Native.libc().geteuid(), annotations(spec),
                    cgroupsPath, false, List.of());
            store.write(state);
            CgroupMade made = makeCgroup(state, spec);
            state = made.state();
            store.write(state);
            dev.minidocker.sys.Trace.mark("runtime: cgroup made");
            spec = DeviceFallback.apply(spec, made.devicesEnforced()); // nothing enforces the rules: no CAP_MKNOD either
            Path fifo = dir.resolve("exec.fifo");
            Syscalls.check("mkfifo", Native.libc().mkfifo(fifo.toString(), 0622), fifo.toString());
            // the umask took the others' write bit: root of a user namespace is "others" to it
            Syscalls.check("chmod", Native.posix().chmod(fifo.toString(), 0622), fifo.toString());
            List<String> procs = state.cgroupDirs().stream().map(d -> Path.of(d, "cgroup.procs").toString()).toList();
            List<Integer> cgroupFds = new ArrayList<>();
            if (userns != null) {
                // root in a user namespace may not open the host's cgroup.procs files: the runtime opens them, the
                // init stage inherits them (the kernel checks the opener's credentials, Linux 5.16+); so in a user
                // namespace the init stage is spawned only now, once its cgroup exists
                try {
                    for (String p : procs) {
                        cgroupFds.add(Syscalls.open(p, Mman.O_WRONLY | O_CLOEXEC));
                    }
                    container = spawnInit(id, spec, o, userns, cgroupFds);
                } finally {
                    for (int fd : cgroupFds) {
                        Syscalls.close(fd);
                    }
                }
            }
            int pid = container.pid();
            List<Integer> inherited = new ArrayList<>();
            for (int i = 0; i < cgroupFds.size(); i++) {
                inherited.add(5 + o.preserveFds() + i);
            }
            SpecFile.write(dir.resolve("init.json"), new InitConfig(id, state.bundle(), spec, rootfs.toString(), pid,
                    fifo.toString(), o.consoleSocket(), procs, noPivot, o.preserveFds(), inherited));
            container.sendConfig(dir.resolve("init.json")); // its JVM has been starting meanwhile
            removeStaleCgroups();                          // while the init stage mounts: off the critical path
            awaitCreated(container, spec, state.withProcess(Status.CREATING, pid, 0));
            ProcStat st = ProcStat.of(pid);
            state = state.withProcess(Status.CREATED, pid, st == null ? 0 : st.startTime());
            store.write(state);
            if (o.pidFile() != null) {
                writePidFile(Path.of(o.pidFile()), pid);
            }
            container.closeControl();
            return container;
        } catch (Exception e) {
            if (container != null) {
                container.kill(SIGKILL);
            }
            if (state != null && state.ownsCgroup()) {
                removeCgroup(state);
            }
            store.remove(id);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }
    // end::create[]

    /** Spawns the init stage in the spec's namespaces: it waits for the control pipe to say where its configuration is. */
    private Container spawnInit(String id, ContainerSpec spec, CreateOptions o, UserNamespaceStart userns, List<Integer> inherit) {
        if (o.standby() != null) {
            o.standby().close(); // started for other namespaces or stdio: not this container's
        }
        int[] control = InitProcess.cloexecPipe();  // runtime writes, init reads
        int[] sync = InitProcess.cloexecPipe();     // init writes, runtime reads
        InitProcess init = InitProcess.spawn(id, namespaces(spec), userns, inherit, store.root(), o.stdio(),
                control[0], sync[1], o.preserveFds(), o.foreground());
        Container container = new Container(id, init, control[1], sync[0]);
        try {
            container.pid();                           // wait until spawned (or failed)
        } finally {
            Syscalls.close(control[0]);                // the child has its own copies now
            Syscalls.close(sync[1]);
        }
        return container;
    }

    /** Reads the init stage's messages until "created", running the createRuntime hooks when it asks. */
    private void awaitCreated(Container c, ContainerSpec spec, RuntimeState creating) {
        while (true) {
            String m = c.nextMessage();
            if (m == null) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR, "the init stage exited before the container was created");
            }
            if (m.equals("C")) {
                return;
            }
            if (m.equals("H")) {
                String json = SpecFile.toJson(creating.report());
                Hooks.run("prestart", hooks(spec).prestart() == null ? List.of() : hooks(spec).prestart(), json, true);
                Hooks.run("createRuntime", hooks(spec).createRuntime() == null ? List.of() : hooks(spec).createRuntime(), json, true);
                c.send('h');
                continue;
            }
            throw InitFailure.parse(m);
        }
    }

    // tag::start[]
    /** start: opens the exec FIFO, which lets the waiting init stage go on to execve the user's program. */
    public void start(String id) {
        RuntimeState s;
        try (AutoCloseable lock = store.lock(id)) {
            s = refresh(store.read(id));
            if (s.status() != Status.CREATED) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR, "cannot start a container that is " + s.status().word()
                        + " (only a created one can be started)");
            }
            Path fifo = store.dir(id).resolve("exec.fifo");
            int fd = Syscalls.open(fifo.toString(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
            try {
                readStartByte(fd, s);
            } finally {
                Syscalls.close(fd);
            }
            Files.deleteIfExists(fifo);
            s = s.with(Status.RUNNING);
            store.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ContainerSpec spec = spec(id);
        Hooks.run("poststart", hooks(spec).poststart() == null ? List.of() : hooks(spec).poststart(),
                SpecFile.toJson(s.report()), false);
    }
    // end::start[]

    /** The init stage is blocked opening the FIFO for writing; once we have it open for reading it writes one byte. */
    private static void readStartByte(int fd, RuntimeState s) {
        byte[] b = new byte[1];
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            long n = Native.libc().read(fd, b, 1);
            if (n == 1) {
                return;
            }
            int errno = Native.lastErrno();
            if (n < 0 && errno != Errno.EAGAIN && errno != Errno.EINTR) {
                throw new dev.minidocker.sys.SyscallException("read", errno, "exec.fifo");
            }
            if (!ProcStat.alive(s.pid(), s.pidStartTime()) || System.nanoTime() > deadline) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR, "the container's init process is gone: it cannot be started");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** state: the container's state as it is now (a recorded "running" whose process is gone is "stopped"). */
    public RuntimeState state(String id) {
        return refresh(store.read(id));
    }

    public List<RuntimeState> list() {
        List<RuntimeState> l = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                l.add(state(id));
            } catch (RuntimeException e) {
                // deleted meanwhile, or a state a crash cut short: not listed
            }
        }
        return l;
    }

    /** exec: a new process in the running container, with its namespaces and cgroup. */
    public ExecProcess exec(String id, ContainerSpec.Process process, String pidFile, boolean detach) {
        return exec(id, process, pidFile, detach, true);
    }

    /** The same; without stdin the process reads /dev/null. */
    public ExecProcess exec(String id, ContainerSpec.Process process, String pidFile, boolean detach, boolean stdin) {
        return exec(id, process, pidFile, detach, stdin, null);
    }

    /** The same; with process.terminal its pty's master goes to consoleSocket (runc exec --console-socket). */
    public ExecProcess exec(String id, ContainerSpec.Process process, String pidFile, boolean detach, boolean stdin,
                            String consoleSocket) {
        RuntimeState s = state(id);
        if (s.status() != Status.RUNNING) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "cannot exec in a container that is " + s.status().word()
                    + " (it must be running)");
        }
        ExecProcess e = ExecProcess.start(s, spec(id), process, detach, stdin, consoleSocket);
        if (pidFile != null) {
            writePidFile(Path.of(pidFile), e.pid());
        }
        return e;
    }

    /** kill: a signal to the container's init process, or with all to every process in its cgroup. */
    public void kill(String id, int signal, boolean all) {
        RuntimeState s = state(id);
        if (s.status() == Status.STOPPED && !all) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "container " + id + " is not running");
        }
        if (all) {
            for (int pid : cgroupPids(s)) {
                signal(pid, signal);
            }
        }
        if (s.status() != Status.STOPPED && s.pid() > 0) {
            Syscalls.check("kill", Native.libc().kill(s.pid(), signal), "pid " + s.pid() + ", signal " + signal);
        }
    }

    // tag::delete[]
    /** delete: removes a stopped container (with force, kills it first), its cgroup and its state; runs poststop hooks. */
    public void delete(String id, boolean force) {
        if (!store.exists(id)) {
            if (Files.isDirectory(store.dir(id))) {
                store.remove(id); // a create cut short before its first state was written
                return;
            }
            throw StateStore.notFound(id);
        }
        RuntimeState s;
        AutoCloseable held;
        try {
            held = store.lock(id);
        } catch (ContainerException goneMeanwhile) {
            return; // another delete (the foreground run's own clean-up, say) removed it since the check above
        }
        try (AutoCloseable lock = held) {
            if (!store.exists(id)) {
                return; // another delete finished while we waited for the lock
            }
            s = refresh(store.read(id));
            if (s.status() == Status.RUNNING && !force) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                        "cannot delete container " + id + " that is running: stop it first, or use --force");
            }
            if (s.status() != Status.STOPPED) {
                for (int pid : cgroupPids(s)) {
                    signal(pid, SIGKILL);
                }
                signal(s.pid(), SIGKILL);
                awaitDeath(s);
            }
            ContainerSpec spec = specOrNull(id);
            if (s.ownsCgroup()) {
                removeCgroup(s);
            }
            if (spec != null) {
                Hooks.run("poststop", hooks(spec).poststop() == null ? List.of() : hooks(spec).poststop(),
                        SpecFile.toJson(s.with(Status.STOPPED).report()), false);
            }
            // still under the lock: a second delete waiting for it then finds nothing, not half a directory
            store.remove(id);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
    // end::delete[]

    /**
     * kill(2) of one process. Never of a PID below 1: kill(0, ...) signals the caller's whole process
     * group and kill(-1, ...) every process it may signal, which is never what a state file meant.
     */
    private static void signal(int pid, int sig) {
        if (pid > 0) {
            Native.libc().kill(pid, sig);
        }
    }

    private static void awaitDeath(RuntimeState s) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcStat.alive(s.pid(), s.pidStartTime()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A recorded live status is checked against the process: gone (or reused, or a zombie) means stopped. */
    private RuntimeState refresh(RuntimeState s) {
        if (s.status() == Status.STOPPED) {
            return s;
        }
        if (s.status() == Status.CREATING && s.pid() <= 0) {
            // a create that died before its init stage was recorded: nothing runs, nothing to signal
            return s.with(Status.STOPPED);
        }
        if (!ProcStat.alive(s.pid(), s.pidStartTime())) {
            return s.with(Status.STOPPED);
        }
        if (s.status() == Status.CREATED && !Files.exists(store.dir(s.id()).resolve("exec.fifo"))) {
            return s.with(Status.RUNNING);
        }
        return s;
    }

    /** The state with its cgroup, and whether a devices controller (v1) or program (v2) enforces the spec's device rules. */
    private record CgroupMade(RuntimeState state, boolean devicesEnforced) {
    }

    private CgroupMade makeCgroup(RuntimeState s, ContainerSpec spec) {
        Limits limits = SpecLimits.from(spec.linux() == null ? null : spec.linux().resources());
        if (dev.minidocker.container.ns.Rootless.active() && limits.isEmpty() && s.annotations().get(CGROUP_DRIVER_ANNOTATION) == null) {
            return new CgroupMade(s, false); // rootless: the host's cgroups are root's; nothing was asked of one (the CLI refuses limits)
        }
        try {
            // --cgroup-driver of mini run; engines leave it to the host's mode
            Cgroup cg = Cgroups.driver(s.annotations().get(CGROUP_DRIVER_ANNOTATION)).create(s.cgroupsPath(), limits);
            List<ContainerSpec.DeviceRule> devices = spec.linux() == null || spec.linux().resources() == null ? null
                    : spec.linux().resources().devices();
            boolean enforced = false;
            if (devices != null) {
                try {
                    // v1: the devices controller's files; v2: a BPF program. runc's always-allowed nodes follow the spec's rules
                    enforced = DevicesController.apply(cg, DevicesController.rulesFor(devices, spec.linux().devices()));
                } catch (SyscallException e) {
                    // no BPF here (a kernel without it, a sandbox that forbids bpf(2)): CAP_MKNOD goes instead
                    System.err.println("mini: warning: the device rules cannot be enforced, CAP_MKNOD is dropped instead: " + e.getMessage());
                } catch (RuntimeException e) {
                    cg.destroy();
                    throw new ContainerException(ExitStatus.RUNTIME_ERROR, "linux.resources.devices: " + e.getMessage());
                }
            }
            return new CgroupMade(new RuntimeState(s.ociVersion(), s.id(), s.status(), s.pid(), s.pidStartTime(), s.bundle(),
                    s.rootfs(), s.created(), s.owner(), s.annotations(), s.cgroupsPath(), true,
                    cg.directories().stream().map(Path::toString).toList()), enforced);
        } catch (CgroupException e) {
            if (limits.isEmpty() && s.annotations().get(CGROUP_DRIVER_ANNOTATION) == null) {
                // nothing was asked of the cgroup: run without one (e.g. inside another container)
                System.err.println("mini: warning: running without a cgroup (no limits, no stats): " + e.getMessage());
                return new CgroupMade(s, false);
            }
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, e.getMessage());
        }
    }

    /** The empty cgroups of containers a killed runtime left (see Cgroups.removeStale). */
    private void removeStaleCgroups() {
        try {
            Cgroups.removeStale(id -> store.exists(id) && state(id).status() != Status.STOPPED);
        } catch (RuntimeException e) {
            // a leftover that will not go is not this container's problem
        }
    }

    private static void removeCgroup(RuntimeState s) {
        try {
            Cgroups.remove(s.cgroupsPath());
        } catch (RuntimeException e) {
            System.err.println("mini: warning: " + e.getMessage());
        }
    }

    private static List<Integer> cgroupPids(RuntimeState s) {
        List<Integer> pids = new ArrayList<>();
        for (String d : s.cgroupDirs() == null ? List.<String>of() : s.cgroupDirs()) {
            try {
                for (String line : Files.readAllLines(Path.of(d, "cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Integer.parseInt(line.trim()));
                    }
                }
                break; // every hierarchy holds the same processes
            } catch (IOException | NumberFormatException e) {
                // gone already
            }
        }
        return pids;
    }

    /** The spec the container was created from (kept in init.json: the bundle may be gone by delete). */
    public ContainerSpec spec(String id) {
        ContainerSpec s = specOrNull(id);
        if (s == null) {
            throw StateStore.notFound(id);
        }
        return s;
    }

    private ContainerSpec specOrNull(String id) {
        Path f = store.dir(id).resolve("init.json");
        try {
            return Files.exists(f) ? SpecFile.read(f, InitConfig.class).spec() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The pid file: written whole to a temporary name, then renamed (no reader sees it half-written); no newline, as runc. */
    private static void writePidFile(Path file, int pid) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(pid));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pid file " + file + ": " + e.getMessage(), e);
        }
    }

    private static ContainerSpec.Hooks hooks(ContainerSpec spec) {
        return spec.hooks() == null ? new ContainerSpec.Hooks(null, null, null, null, null, null) : spec.hooks();
    }

    private static Map<String, String> annotations(ContainerSpec spec) {
        return spec.annotations() == null ? Map.of() : spec.annotations();
    }

    private static List<ContainerSpec.Namespace> namespaces(ContainerSpec spec) {
        return spec.linux() == null || spec.linux().namespaces() == null ? List.of() : spec.linux().namespaces();
    }
}
