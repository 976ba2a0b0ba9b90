package dev.minidocker.container.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.cgroup.CgroupNamespace;
import dev.minidocker.container.fs.Chroot;
import dev.minidocker.container.fs.DevFs;
import dev.minidocker.container.fs.KernelFilesystems;
import dev.minidocker.container.fs.MountPropagation;
import dev.minidocker.container.fs.PivotRoot;
import dev.minidocker.container.fs.RootFilesystem;
import dev.minidocker.container.ns.Loopback;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.security.ContainerUser;
import dev.minidocker.container.security.MaskedPaths;
import dev.minidocker.container.security.ProcessSecurity;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;
import dev.minidocker.sys.Trace;

/**
 * The init stage: the first process in the container's namespaces (PID 1), like
 * {@code runc init}. It runs in a fresh JVM because a JVM cannot safely fork(2): the runtime
 * spawns it with posix_spawn from the thread that called unshare(2).
 *
 * <p>It waits for the start signal, builds the container's view of the world from inside
 * (only a process in the new PID namespace can mount its /proc), and finally replaces itself
 * with the user's command through execve(2), which keeps PID 1.
 */
public final class InitStage {
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int SIGKILL = 9;

    /** Beside config.json: the OCI spec's process and linux parts that ProcessSecurity and MaskedPaths apply. */
    public static final String SECURITY_FILE = "security.json";

    private InitStage() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--train-class-data")) {
            ClassDataTraining.initStage();
            return;
        }
        int code = ExitStatus.RUNTIME_ERROR;
        String message;
        try {
            // If the runtime dies, so does the container: nothing is left running unseen.
            Trace.mark("init: JVM started");
            Syscalls.prctl(PR_SET_PDEATHSIG, SIGKILL);
            loadWhatIsNeededAfterPivotRoot();
            Trace.mark("init: classes loaded; waiting for start");
            if (!awaitStart()) {
                System.exit(ExitStatus.RUNTIME_ERROR); // the runtime gave up before "start"
            }
            // the runtime wrote config.json while this JVM was starting
            ContainerSpec spec = SpecFile.read(Path.of(args[0]), ContainerSpec.class);
            // the OCI process and linux settings of security (capabilities, seccomp, user, masked paths)
            Path securityFile = Path.of(args[0]).resolveSibling(SECURITY_FILE);
            dev.minidocker.container.spec.ContainerSpec security = Files.exists(securityFile)
                    ? SpecFile.read(securityFile, dev.minidocker.container.spec.ContainerSpec.class) : null;
            Ready ready = setUp(spec, security);
            if (!ready.command().ok()) {
                fail(ready.command().errorCode(), ready.command().error());
            }
            Trace.mark("init: mounts, hostname, pivot_root done; execve");
            exec(ready.command().path(), spec.process(), ready.security());
            return; // not reached: execve does not return on success
        } catch (ExecFailure e) {
            code = e.code;
            message = e.getMessage();
        } catch (RuntimeException e) {
            message = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        InitPipes.writeAll(InitPipes.ERROR_FD, code + " " + message);
        System.exit(code);
    }

    /**
     * After pivot_root the class path's directories are gone from this mount namespace, so
     * every class the rest of the way needs is loaded now (jars stay open and would be fine,
     * directories of .class files would not).
     */
    static void loadWhatIsNeededAfterPivotRoot() {
        SpecFile.parse(SpecFile.toJson(new ContainerSpec("0", "warm-up", new ContainerSpec.ProcessSpec(List.of(), List.of(), "/"),
                new ContainerSpec.RootSpec("/", List.of(), null, null), "h", List.of(Namespace.UTS), Isolation.PIVOT_ROOT)),
                ContainerSpec.class);                            // Gson's adapters for the spec
        CommandLookup.find("/", null);                          // CommandLookup and its Result
        dev.minidocker.sys.Errno.description(dev.minidocker.sys.Errno.ENOENT); // errno names
        new ExecFailure(0, "").getMessage();
        Native.libc().execve("/", new String[] {"/"}, new String[0]); // fails (EACCES), loads the execve path
        Native.lastErrno();
        try {
            for (Class<?> c : new Class<?>[] {SignalMask.class, InitPipes.class, ExitStatus.class, Ready.class}) {
                Class.forName(c.getName(), true, InitStage.class.getClassLoader());
            }
            Class.forName(dev.minidocker.sys.SyscallException.class.getName(), true, InitStage.class.getClassLoader());
            Class.forName(Files.class.getName(), true, InitStage.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        new dev.minidocker.sys.SyscallException("preload", 1, "").getMessage();
    }

    /** Blocks until the runtime writes the start byte. False if it closed the pipe instead. */
    private static boolean awaitStart() {
        byte[] b = new byte[1];
        long n = Native.libc().read(InitPipes.START_FD, b, 1);
        Native.libc().close(InitPipes.START_FD);
        return n == 1;
    }

    // tag::init-setup[]
    /** Builds the container's mounts, hostname and network, then enters its root. */
    static Ready setUp(ContainerSpec spec, dev.minidocker.container.spec.ContainerSpec security) {
        Path root = Path.of(spec.root().path());
        MountPropagation.makeAllPrivate();                    // nothing we mount leaks to the host
        if (spec.root().layers().isEmpty()) {
            RootFilesystem.bindOntoItself(root);              // pivot_root needs a mount point
        } else {
            RootFilesystem.mountOverlay(spec.root().layers().stream().map(Path::of).toList(),
                    Path.of(spec.root().upperDir()), Path.of(spec.root().workDir()), root);
        }
        mkdirs(root, "proc", "sys", "dev", "tmp");
        KernelFilesystems.mountProc(root);                    // our PID namespace's /proc
        KernelFilesystems.mountSys(root);
        CgroupNamespace.enter(root, spec.id());               // join its cgroup; see only it, read-only
        DevFs.populate(root);
        if (spec.namespaces().contains(Namespace.UTS)) {
            Syscalls.sethostname(spec.hostname());
        }
        if (spec.namespaces().contains(Namespace.NET)) {
            Loopback.up();
        }
        ProcessSecurity prepared = null;
        if (security != null) {
            // the user is looked up in the image's /etc/passwd, and the seccomp filter compiled with
            // the host's libseccomp: both while the image's root and the host's files are visible
            prepared = ProcessSecurity.prepare(ContainerUser.resolveInSpec(root, security), security.linux());
            if (security.linux() != null) {
                MaskedPaths.apply(root, security.linux().maskedPaths(), security.linux().readonlyPaths());
            }
        }
        if (spec.isolation() == Isolation.CHROOT) {
            Chroot.into(root.toString());
        } else {
            PivotRoot.into(root.toString());
        }
        enterWorkingDirectory(spec.process().cwd());
        return new Ready(CommandLookup.find(spec.process().args().isEmpty() ? "" : spec.process().args().get(0),
                pathOf(spec.process().env())), prepared);
    }

    /** What setUp leaves for exec: the command found, and the security to apply just before execve (or null). */
    record Ready(CommandLookup.Result command, ProcessSecurity security) {
    }
    // end::init-setup[]

    // tag::exec[]
    /** Closes every descriptor above 2 at exec time, then becomes the user's command. */
    private static void exec(String path, ContainerSpec.ProcessSpec process, ProcessSecurity security) {
        Syscalls.closeOnExecFrom(3);    // also closes the error pipe: the runtime reads EOF = success
        SignalMask.clear();             // the JVM's blocked signals must not leak into the command
        if (security != null) {
            security.applyBeforeExec(); // user, capabilities, seccomp: the last thing before execve
        }
        String[] argv = process.args().toArray(new String[0]);
        String[] envp = process.env().toArray(new String[0]);
        Native.libc().execve(path, argv, envp);
        int errno = Native.lastErrno();
        throw new ExecFailure(errno == dev.minidocker.sys.Errno.ENOENT ? ExitStatus.NOT_FOUND : ExitStatus.CANNOT_EXECUTE,
                "exec: \"" + process.args().get(0) + "\": " + dev.minidocker.sys.Errno.description(errno).toLowerCase());
    }
    // end::exec[]

    private static void enterWorkingDirectory(String cwd) {
        Path dir = Path.of(cwd == null || cwd.isEmpty() ? "/" : cwd);
        try {
            Files.createDirectories(dir); // docker creates a missing WORKDIR too
        } catch (IOException e) {
            throw new IllegalStateException("cannot create working directory " + dir + ": " + e.getMessage(), e);
        }
        Syscalls.chdir(dir.toString());
    }

    private static String pathOf(List<String> env) {
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                return e.substring(5);
            }
        }
        return null;
    }

    private static void mkdirs(Path root, String... names) {
        for (String n : names) {
            try {
                Files.createDirectories(root.resolve(n));
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + root.resolve(n) + ": " + e.getMessage(), e);
            }
        }
    }

    private static void fail(int code, String message) {
        throw new ExecFailure(code, message);
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
