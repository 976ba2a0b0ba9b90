package dev.minidocker.container.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.minidocker.container.security.ProcessSecurity;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Pty;
import dev.minidocker.sys.Spawn;
import dev.minidocker.sys.Syscalls;
import dev.minidocker.sys.UnixSocket;

/**
 * exec: one more process in a running container. A dedicated thread joins the container's
 * namespaces with setns(2) (for the mount namespace, after unshare(CLONE_FS): its root and working
 * directory become the container's) and spawns the program itself: no JVM ever enters the
 * container's PID namespace, so no container process can open a runtime's {@code /proc/PID/exe}
 * (the CVE-2019-5736 class). The new process is then moved into the container's cgroup.
 */
public final class ExecProcess {
    /** The order runc joins them in: the mount namespace last but one, so paths of the others still resolve. */
    private static final List<String> ORDER = List.of("ipc", "uts", "network", "pid", "mount", "cgroup");

    private final CompletableFuture<Integer> pid = new CompletableFuture<>();
    private final CompletableFuture<Integer> waitStatus = new CompletableFuture<>();

    private ExecProcess() {
    }

    /** Starts process in the container of state s; returns the handle (its pid is the host's). Detached, nobody here reaps it. */
    public static ExecProcess start(RuntimeState s, ContainerSpec spec, ContainerSpec.Process process, boolean detach) {
        return start(s, spec, process, detach, true);
    }

    /** The same; without stdin, the process reads /dev/null (as docker exec without -i). */
    public static ExecProcess start(RuntimeState s, ContainerSpec spec, ContainerSpec.Process process, boolean detach,
                                    boolean stdin) {
        return start(s, spec, process, detach, stdin, null);
    }

    /**
     * The same; with process.terminal, a new pty of the container's own devpts becomes the process's
     * controlling terminal and stdio, and its master goes over consoleSocket (SCM_RIGHTS), as for the
     * container's first process: to the engine's relay, or to conmon.
     */
    public static ExecProcess start(RuntimeState s, ContainerSpec spec, ContainerSpec.Process process, boolean detach,
                                    boolean stdin, String consoleSocket) {
        if (process.isTerminal() && consoleSocket == null) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                    "process.terminal is true: pass --console-socket (the engine's end of the terminal)");
        }
        if (UserNamespaceStart.wanted(spec)) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "exec into a container with its own user namespace"
                    + " (--userns=private) is not supported yet: a JVM cannot join a user namespace");
        }
        List<ContainerSpec.Namespace> join = new ArrayList<>();
        for (String type : ORDER) {
            boolean has = spec.linux() != null && spec.linux().namespaces() != null
                    && spec.linux().namespaces().stream().anyMatch(n -> n.type().equals(type));
            if (has) {
                join.add(new ContainerSpec.Namespace(type, "/proc/" + s.pid() + "/ns/" + NamespaceJoin.of(type).procName()));
            }
        }
        ExecProcess e = new ExecProcess();
        Native.warmUp(); // after setns(CLONE_NEWPID) the thread cannot start threads
        loadClassesBeforeJoining();
        // user, capabilities, no_new_privs and seccomp, as for the first process; compiled while the host is visible
        ProcessSecurity security = ProcessSecurity.prepare(process, spec.linux());
        // connected while this thread's paths are still the host's: the socket's path is one of them
        int console = process.isTerminal() ? UnixSocket.connect(consoleSocket) : -1;
        Thread t = new Thread(() -> e.runInContainer(join, process, security, detach, stdin, console), "exec-" + s.id());
        t.start();
        int child = e.pid();
        for (String dir : s.cgroupDirs() == null ? List.<String>of() : s.cgroupDirs()) {
            try {
                // from this thread, whose root is still the host's; the program may have run a moment outside
                Files.writeString(Path.of(dir, "cgroup.procs"), Integer.toString(child));
            } catch (java.io.IOException ex) {
                // the process may be gone already
            }
        }
        return e;
    }

    // tag::exec-in-namespaces[]
    private void runInContainer(List<ContainerSpec.Namespace> join, ContainerSpec.Process p, ProcessSecurity security,
                                boolean detach, boolean stdin, int console) {
        int slave = -1;
        try {
            NamespaceJoin.enter(join);                 // setns each, this thread only
            Syscalls.chdir(p.cwd() == null ? "/" : p.cwd());
            CommandLookup.Result command = CommandLookup.find(p.args().get(0), pathOf(p.env()));
            if (!command.ok()) {
                throw new ContainerException(command.errorCode(), command.error());
            }
            security.applyBeforeExec();                // this thread only; the program inherits it, the thread then ends
            Spawn spawn = new Spawn(p.args(), p.env() == null ? List.of() : p.env()).program(command.path());
            if (console >= 0) {
                slave = withTerminal(spawn, p.consoleSize(), console);
            } else if (!stdin) {
                spawn.openForReading(0, "/dev/null");  // the container's own /dev/null: this thread is in its mount namespace
            }
            int child = spawn.closeFrom(3).start(); // none of the JVM's descriptors (jars, locks) goes into the container
            pid.complete(child);
            if (!detach) {
                waitStatus.complete(Syscalls.waitpid(child));
            } // detached: its exit status is for the subreaper it goes to (conmon, the shim) when this JVM exits
        } catch (Throwable ex) {
            pid.completeExceptionally(ex);
            waitStatus.completeExceptionally(ex);
        } finally {
            if (slave >= 0) {
                Syscalls.close(slave); // the child has its own; when it and its children close theirs, the relay reads EIO
            }
            if (console >= 0) {
                Syscalls.close(console); // after a failure before the master was sent, the relay stops waiting for it
            }
        }
    }
    // end::exec-in-namespaces[]

    // tag::exec-terminal[]
    /**
     * exec -t: a pty from the container's devpts (this thread sees the container's /dev now), its
     * master sent over the console socket, its slave the child's stdin, stdout and stderr. The child
     * leads a new session (POSIX_SPAWN_SETSID) and opens the slave without O_NOCTTY, so the slave
     * becomes its controlling terminal: a shell there has job control and gets Ctrl-C. Returns the
     * slave this thread holds until the child has its own.
     */
    private static int withTerminal(Spawn spawn, ContainerSpec.ConsoleSize size, int console) {
        Pty.Master master = Pty.open("/dev/pts/ptmx");
        String slavePath = "/dev/pts/" + master.number();
        try {
            int slave = Syscalls.open(slavePath, Pty.O_RDWR | Pty.O_NOCTTY | Pty.O_CLOEXEC);
            if (size != null && size.height() > 0 && size.width() > 0) {
                Pty.setWindowSize(master.fd(), size.height(), size.width());
            }
            UnixSocket.sendFd(console, master.fd(), slavePath);
            // exercise:begin ch13-exec-terminal "the child must lead a new session (spawn.newSession()) and open slavePath for reading and writing as descriptor 0 (openForReadingAndWriting: no O_NOCTTY, so it becomes the controlling terminal); 1 and 2 are copies of 0 (dup2)"
            spawn.newSession().openForReadingAndWriting(0, slavePath).dup2(0, 1).dup2(0, 2);
            // exercise:end ch13-exec-terminal
            return slave;
        } finally {
            Syscalls.close(master.fd());  // the relay holds it now
        }
    }
    // end::exec-terminal[]

    /**
     * Once the thread is in the container's mount namespace, its file lookups (a class loader's
     * too) see the container's files: a class not yet loaded from a directory of the class path
     * would not be found. So everything the thread needs is loaded first.
     */
    private static void loadClassesBeforeJoining() {
        CommandLookup.find("/", null);
        new ContainerException(0, "").getMessage();
        new Spawn(List.of("/"), List.of()).newSession();
        Pty.isTerminal(0);
        new Pty.Master(-1, 0).number();
        new dev.minidocker.sys.SyscallException("preload", 1, "").getMessage();
        dev.minidocker.sys.Errno.description(dev.minidocker.sys.Errno.ENOENT);
    }

    public int pid() {
        try {
            return pid.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ContainerException c) {
                throw c;
            }
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "exec: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "interrupted");
        }
    }

    /** Waits for the process; its exit code (128+N if killed by N). */
    public int await() {
        try {
            return ExitStatus.fromWaitStatus(waitStatus.get());
        } catch (ExecutionException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "interrupted");
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
}
