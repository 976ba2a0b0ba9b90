package dev.minidocker.container.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.minidocker.container.cgroup.CgroupNamespace;
import dev.minidocker.container.fs.Chroot;
import dev.minidocker.container.fs.DevFs;
import dev.minidocker.container.fs.MaskedPaths;
import dev.minidocker.container.fs.MountOptions;
import dev.minidocker.container.fs.MountPropagation;
import dev.minidocker.container.fs.PivotRoot;
import dev.minidocker.container.fs.RootFilesystem;
import dev.minidocker.container.fs.SpecMounts;
import dev.minidocker.container.ns.Loopback;
import dev.minidocker.container.security.ContainerUser;
import dev.minidocker.container.security.ProcessSecurity;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Errno;
import dev.minidocker.sys.MountFlags;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Rlimits;
import dev.minidocker.sys.Prctl;
import dev.minidocker.sys.Signals;
import dev.minidocker.sys.Syscalls;
import dev.minidocker.sys.Trace;

/**
 * The init stage: the first process in the container's namespaces (PID 1), like
 * {@code runc init}. It runs in a fresh JVM because a JVM cannot safely fork(2): the runtime
 * spawns it with posix_spawn from the thread that called unshare(2) or setns(2).
 *
 * <p>Its life has the OCI lifecycle's two halves. During {@code create} it builds the container
 * from config.json (mounts, /dev, hostname, terminal, masked paths, pivot_root) and tells the
 * runtime "created". Then it blocks opening the exec FIFO for writing until {@code start} opens
 * it for reading; only then does it join the container's cgroup and replace itself with the
 * user's command through execve(2), which keeps PID 1.
 */
public final class InitStage {
    private static final int O_PATH = 010000000;
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 02000000;

    private final InitConfig config;
    private final ContainerSpec spec;
    private final int controlFd;
    private final int syncFd;

    private InitStage(InitConfig config, int controlFd, int syncFd) {
        this.config = config;
        this.spec = config.spec();
        this.controlFd = controlFd;
        this.syncFd = syncFd;
    }

    /** args: init.json, the control pipe's fd, the sync pipe's fd, and the PID of the parent that must stay alive (0: none). */
    public static void main(String[] args) {
        int syncFd = Integer.parseInt(args[2]);
        int code = ExitStatus.RUNTIME_ERROR;
        String message;
        try {
            int parent = Integer.parseInt(args[3]);
            Trace.mark("init: JVM started");
            loadWhatIsNeededAfterPivotRoot();
            int controlFd = Integer.parseInt(args[1]);
            if (!awaitByte(controlFd, 'c')) {
                System.exit(ExitStatus.RUNTIME_ERROR); // the runtime gave up (or died) before writing init.json
            }
            // tag::parent-death[]
            if (parent > 0) {
                // If a foreground runtime dies, so does the container: nothing is left running unseen. Only
                // now: in a user namespace the parent was util-linux's unshare until the runtime killed it
                // (and this process came to the runtime); a death signal set before would have fired then.
                Syscalls.prctl(Prctl.PR_SET_PDEATHSIG, Signals.SIGKILL);
                // getppid() says 0 in a new PID namespace; /proc is still the host's here, and tells
                if (!Files.isDirectory(Path.of("/proc", Integer.toString(parent)))) {
                    System.exit(ExitStatus.RUNTIME_ERROR); // it died before the line above: too late to be told
                }
            }
            // end::parent-death[]
            InitConfig config = SpecFile.read(Path.of(args[0]), InitConfig.class);
            new InitStage(config, controlFd, syncFd).run();
            return; // not reached: execve does not return on success
        } catch (ExecFailure e) {
            code = e.code;
            message = e.getMessage();
        } catch (RuntimeException e) {
            message = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        InitPipes.writeAll(syncFd, "E" + code + " " + message.replace('\n', ' ') + "\n");
        System.exit(code);
    }

    // tag::lifecycle[]
    private void run() {
        String command = create();
        InitPipes.writeAll(syncFd, "C\n");                 // the runtime records "created" and returns
        Trace.mark("init: created; waiting for start");
        awaitStart();
        Trace.mark("init: started");
        afterStart();
        exec(command);
    }
    // end::lifecycle[]

    /**
     * Since Java 9 the class path's jars stay open, but a directory of .class files would be gone
     * after pivot_root: every class the rest of the way needs is loaded now.
     */
    static void loadWhatIsNeededAfterPivotRoot() {
        CommandLookup.find("/", null);                          // CommandLookup and its Result
        Errno.description(Errno.ENOENT);                        // errno names
        new ExecFailure(0, "").getMessage();
        Native.libc().execve("/", new String[] {"/"}, new String[0]); // fails (EACCES), loads the execve path
        Native.lastErrno();
        for (Class<?> c : new Class<?>[] {SignalMask.class, InitPipes.class, ExitStatus.class, CgroupNamespace.class,
                Hooks.class, Console.class, Rlimits.class, Files.class, dev.minidocker.sys.SyscallException.class,
                dev.minidocker.sys.CloneFlags.class, MountFlags.class, MountOptions.class, Identity.class, Status.class,
                StateReport.class, dev.minidocker.sys.Spawn.class, ContainerSpec.Hook.class, ContainerSpec.User.class}) {
            try {
                Class.forName(c.getName(), true, InitStage.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        new dev.minidocker.sys.SyscallException("preload", 1, "").getMessage();
    }

    // tag::init-setup[]
    /** The create half: the container's mounts, devices, hostname and terminal, then its root. */
    private String create() {
        Path root = Path.of(config.rootfs());
        ContainerSpec.Linux linux = spec.linux();
        propagation(linux == null ? null : linux.rootfsPropagation());
        mountRoot(root);
        boolean devIsTmpfs = false;
        for (ContainerSpec.Mount m : mounts()) {
            if (m.destination().equals("/") || SpecMounts.isCgroup(m)) {
                continue; // the root is already there; cgroups come after start
            }
            SpecMounts.mount(root, m);
            devIsTmpfs |= m.destination().equals("/dev") && "tmpfs".equals(m.type());
        }
        if (devIsTmpfs) {
            DevFs.createDefaultDevices(root);
        }
        Devices.create(root, linux == null ? null : linux.devices());
        if (has("uts") && spec.hostname() != null && !spec.hostname().isEmpty()) {
            Syscalls.sethostname(spec.hostname());
        }
        if (createsNew("network")) {
            Loopback.up();
        }
        writeSysctls(root, linux == null ? null : linux.sysctl());
        if (spec.process().isTerminal()) {
            Console.setUp(root, config.consoleSocket(), spec.process().consoleSize());
        }
        if (linux != null) {
            MaskedPaths.apply(root, linux.maskedPaths(), linux.readonlyPaths());
        }
        runtimeHooks();
        Hooks.run("createContainer", hooks(ContainerSpec.Hooks::createContainer), stateJson(Status.CREATED), true);
        fifo = Syscalls.open(config.execFifo(), O_PATH | O_CLOEXEC); // still reachable: we are before pivot_root
        boolean inherited = config.cgroupFds() != null && !config.cgroupFds().isEmpty();
        if (inherited) {
            cgroupFds.addAll(config.cgroupFds()); // opened by the runtime (a user namespace's root may not open them)
        }
        for (String procs : config.cgroupProcs()) {
            if (!inherited) {
                cgroupFds.add(Syscalls.open(procs, O_WRONLY | O_CLOEXEC));
            }
            String h = CgroupNamespace.hierarchyOf(procs);
            if (h != null) {
                hierarchies.add(h);
            }
        }
        // the user is looked up in the image's /etc/passwd, and the seccomp filter compiled with the
        // host's libseccomp: both while the image's root and the host's files are visible
        ContainerSpec.Process resolved = ContainerUser.resolveInSpec(root, spec);
        env = resolved.env();                          // with HOME from passwd when a user was named
        Trace.mark("init: mounts done; preparing user, capabilities and seccomp");
        security = ProcessSecurity.prepare(resolved, linux);
        Trace.mark("init: security prepared (seccomp filter compiled)");
        if (spec.root().isReadonly()) {
            Syscalls.mount(null, root.toString(), null, MountFlags.MS_BIND | MountFlags.MS_REMOUNT | MountFlags.MS_RDONLY, null);
        }
        if (config.noPivot()) {
            Chroot.into(root.toString());
        } else {
            PivotRoot.into(root.toString());
        }
        setRlimits();
        if (spec.process().oomScoreAdj() != null) {
            writeFile(Path.of("/proc/self/oom_score_adj"), spec.process().oomScoreAdj().toString());
        }
        enterWorkingDirectory(spec.process().cwd());
        CommandLookup.Result command = CommandLookup.find(spec.process().args().isEmpty() ? "" : spec.process().args().get(0),
                pathOf(spec.process().env()));
        if (!command.ok()) {
            throw new ExecFailure(command.errorCode(), command.error());
        }
        return command.path();
    }
    // end::init-setup[]

    private int fifo = -1;
    private ProcessSecurity security;
    private List<String> env;
    private final List<Integer> cgroupFds = new ArrayList<>();
    private final List<String> hierarchies = new ArrayList<>();

    // tag::await-start[]
    /** Opening a FIFO for writing blocks until someone opens it for reading: that is {@code start}. */
    private void awaitStart() {
        // exercise:begin ch12-await-start "open \"/proc/self/fd/\" + fifo for writing (O_WRONLY | O_CLOEXEC): it blocks until start opens the FIFO for reading; then write one byte and close both descriptors"
        int w = Syscalls.open("/proc/self/fd/" + fifo, O_WRONLY | O_CLOEXEC);
        Syscalls.write(w, new byte[] {'0'}, 1);
        Syscalls.close(w);
        Syscalls.close(fifo);
        // exercise:end ch12-await-start
    }
    // end::await-start[]

    /** The start half: cgroup, cgroup namespace and its file system, then exec. */
    private void afterStart() {
        CgroupNamespace.join(cgroupFds, createsNew("cgroup"));
        for (ContainerSpec.Mount m : mounts()) {
            if (SpecMounts.isCgroup(m)) {
                CgroupNamespace.mount(Path.of(m.destination()), hierarchies, MountOptions.parse(m.options()).isReadOnly());
            }
        }
        Hooks.run("startContainer", hooks(ContainerSpec.Hooks::startContainer), stateJson(Status.RUNNING), true);
    }

    // tag::exec[]
    /** Closes every descriptor the container does not keep, at exec time, then becomes the user's command. */
    private void exec(String path) {
        Syscalls.closeOnExecFrom(3 + config.preserveFds()); // also the sync pipe: the runtime reads EOF = success
        SignalMask.clear();             // the JVM's blocked and ignored signals must not leak into the command
        security.applyBeforeExec();     // no_new_privs, user and groups, capabilities, seccomp: the last thing
        String[] argv = spec.process().args().toArray(new String[0]);
        String[] envp = env == null ? new String[0] : env.toArray(new String[0]);
        Native.libc().execve(path, argv, envp);
        int errno = Native.lastErrno();
        throw new ExecFailure(errno == Errno.ENOENT ? ExitStatus.NOT_FOUND : ExitStatus.CANNOT_EXECUTE,
                "exec: \"" + argv[0] + "\": " + Errno.description(errno).toLowerCase());
    }
    // end::exec[]

    /** The root: a "/" mount in the spec (mini's overlay of image layers), or root.path bound onto itself for pivot_root. */
    private void mountRoot(Path root) {
        for (ContainerSpec.Mount m : mounts()) {
            if (m.destination().equals("/")) {
                MountOptions o = MountOptions.parse(m.options());
                Syscalls.mount(m.source(), root.toString(), m.type(), o.flags(), o.data());
                return;
            }
        }
        RootFilesystem.bindOntoItself(root);
    }

    private static void propagation(String rootfsPropagation) {
        if (rootfsPropagation == null || rootfsPropagation.isEmpty()) {
            MountPropagation.makeAllPrivate();                 // nothing we mount leaks to the host
        } else {
            long flags = MountOptions.parse(List.of(rootfsPropagation)).propagation();
            Syscalls.mount(null, "/", null, flags | MountFlags.MS_REC, null);
        }
    }

    /** prestart and createRuntime hooks run in the runtime's namespaces: the runtime runs them, while this waits. */
    private void runtimeHooks() {
        if (!hooks(ContainerSpec.Hooks::prestart).isEmpty() || !hooks(ContainerSpec.Hooks::createRuntime).isEmpty()) {
            InitPipes.writeAll(syncFd, "H\n");
            if (!awaitByte(controlFd, 'h')) {
                throw new IllegalStateException("the runtime went away while running the createRuntime hooks");
            }
        }
    }

    private List<ContainerSpec.Hook> hooks(java.util.function.Function<ContainerSpec.Hooks, List<ContainerSpec.Hook>> which) {
        return spec.hooks() == null || which.apply(spec.hooks()) == null ? List.of() : which.apply(spec.hooks());
    }

    private String stateJson(Status status) {
        return SpecFile.toJson(new StateReport(ContainerSpec.OCI_VERSION, config.id(), status, config.hostPid(),
                config.bundle(), spec.annotations() == null ? Map.of() : spec.annotations()));
    }

    private List<ContainerSpec.Mount> mounts() {
        return spec.mounts() == null ? List.of() : spec.mounts();
    }

    private boolean has(String type) {
        return spec.linux() != null && spec.linux().namespaces() != null
                && spec.linux().namespaces().stream().anyMatch(n -> n.type().equals(type));
    }

    private boolean createsNew(String type) {
        return spec.linux() != null && spec.linux().namespaces() != null
                && spec.linux().namespaces().stream().anyMatch(n -> n.type().equals(type) && (n.path() == null || n.path().isEmpty()));
    }

    private static void writeSysctls(Path root, Map<String, String> sysctl) {
        if (sysctl == null) {
            return;
        }
        for (Map.Entry<String, String> e : sysctl.entrySet()) {
            if (e.getKey().contains("..") || e.getKey().contains("/")) {
                throw new IllegalStateException("bad sysctl name \"" + e.getKey() + "\"");
            }
            writeFile(root.resolve("proc/sys").resolve(e.getKey().replace('.', '/')), e.getValue());
        }
    }

    private void setRlimits() {
        if (spec.process().rlimits() == null) {
            return;
        }
        for (ContainerSpec.Rlimit r : spec.process().rlimits()) {
            Syscalls.setrlimit(Rlimits.number(r.type()), r.soft(), r.hard(), r.type());
        }
    }

    private static void writeFile(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Blocks until the runtime writes the expected byte. False if it closed the pipe instead. */
    private static boolean awaitByte(int fd, char expected) {
        byte[] b = new byte[1];
        while (true) {
            long n = Native.libc().read(fd, b, 1);
            if (n == 1) {
                return b[0] == expected;
            }
            if (n < 0 && Native.lastErrno() == Errno.EINTR) {
                continue;
            }
            return false;
        }
    }

    private static void enterWorkingDirectory(String cwd) {
        Path dir = Path.of(cwd == null || cwd.isEmpty() ? "/" : cwd);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalStateException("the working directory " + dir + " is not a directory in the container");
        }
        try {
            Files.createDirectories(dir); // docker and runc create a missing working directory
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the working directory " + dir + ": " + e.getMessage(), e);
        }
        Syscalls.chdir(dir.toString());
        // A descriptor the runtime left open on a host directory (/proc/self/fd/N) would put the
        // command outside its root (CVE-2024-21626). The kernel then calls the directory unreachable.
        String where;
        try {
            where = Files.readSymbolicLink(Path.of("/proc/self/cwd")).toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the working directory back: " + e.getMessage(), e);
        }
        if (where.startsWith("(unreachable)")) {
            throw new IllegalStateException("the working directory " + dir + " is outside the container's root: refused");
        }
    }

    private static String pathOf(List<String> env) {
        for (String e : env == null ? List.<String>of() : env) {
            if (e.startsWith("PATH=")) {
                return e.substring(5);
            }
        }
        return null;
    }

    /** A failure with its own exit code (126 or 127). */
    private static final class ExecFailure extends RuntimeException {
        final int code;

        ExecFailure(int code, String message) {
            super(message);
            this.code = code;
        }
    }
}
