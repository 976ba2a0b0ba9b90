package dev.minidocker.container.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.CloneFlags;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Spawn;
import dev.minidocker.sys.Syscalls;

/**
 * Starts the init stage inside new namespaces, from Java, without fork(2).
 *
 * <p>unshare(2) in a JVM changes only the calling thread, and after CLONE_NEWPID that thread
 * cannot start threads any more. So a dedicated thread unshares, spawns the init JVM with
 * posix_spawn (it inherits the thread's namespaces and becomes PID 1 of the new PID
 * namespace), and stays alive reaping it with waitpid: the init stage asked to be killed when
 * this thread dies (PR_SET_PDEATHSIG).
 */
final class InitProcess {
    private static final int O_CLOEXEC = 02000000;

    final CompletableFuture<Integer> pid = new CompletableFuture<>();
    final CompletableFuture<Integer> waitStatus = new CompletableFuture<>();
    private final Thread thread;

    private InitProcess(Thread thread) {
        this.thread = thread;
    }

    /**
     * Spawns the init stage.
     *
     * @param namespaces   config.json's linux.namespaces: those with a path are joined, the rest created
     * @param preserveFds  descriptors 3.. the container keeps; the pipes go above them
     * @param watchParent  whether the init stage dies with this JVM (a foreground run) or outlives it (create)
     */
    static InitProcess spawn(String id, List<ContainerSpec.Namespace> namespaces, Stdio stdio,
                             int controlReadFd, int syncWriteFd, int preserveFds, boolean watchParent) {
        return spawn(id, namespaces, null, List.of(), null, stdio, controlReadFd, syncWriteFd, preserveFds, watchParent);
    }

    /**
     * The same; with userns (not null) the init stage starts in a new user namespace, and the
     * descriptors inherit (the cgroup.procs files the runtime opened) follow the pipes, from 5 + preserveFds on;
     * runtimeRoot keeps the copy of the class path that the namespace's root can read.
     */
    static InitProcess spawn(String id, List<ContainerSpec.Namespace> namespaces, UserNamespaceStart userns, List<Integer> inherit,
                             Path runtimeRoot, Stdio stdio, int controlReadFd, int syncWriteFd, int preserveFds, boolean watchParent) {
        List<String> env = new ArrayList<>(List.of("PATH=" + SpecDefaults.PATH));
        if (System.getenv("MINI_TRACE") != null) {
            env.add("MINI_TRACE=" + System.getenv("MINI_TRACE"));
        }
        int controlFd = 3 + preserveFds;
        int syncFd = 4 + preserveFds;
        List<String> command = initCommand(controlFd, syncFd, watchParent ? Native.libc().getpid() : 0);
        if (userns != null) {
            int cp = command.indexOf("-cp") + 1;
            command.set(cp, InitClassPath.readableByOthers(command.get(cp), runtimeRoot.resolve("init-classpath")));
        }
        java.util.function.Function<List<String>, Spawn> withFds = argv -> {
            Spawn spawn = new Spawn(argv, env);
            if (stdio.stdin() != null) {
                spawn.openForReading(0, stdio.stdin().toString());
            }
            if (stdio.stdout() != null) {
                spawn.openForWriting(1, stdio.stdout().toString());
            }
            if (stdio.stderr() != null) {
                spawn.openForWriting(2, stdio.stderr().toString());
            }
            spawn.dup2(controlReadFd, controlFd).dup2(syncWriteFd, syncFd);
            for (int i = 0; i < inherit.size(); i++) {
                spawn.dup2(inherit.get(i), 5 + preserveFds + i);
            }
            return spawn;
        };

        Native.warmUp(); // load the bindings now: the namespace thread must not need new threads
        InitProcess[] self = new InitProcess[1];
        Thread t = new Thread(() -> {
            if (userns == null) {
                self[0].runInNamespaces(namespaces, withFds.apply(command));
            } else {
                self[0].runInUserNamespace(namespaces, userns, watchParent, command, withFds);
            }
        },
                "container-" + (id.length() > 12 ? id.substring(0, 12) : id));
        self[0] = new InitProcess(t);
        t.start();
        return self[0];
    }

    // tag::spawn-in-namespaces[]
    private void runInNamespaces(List<ContainerSpec.Namespace> namespaces, Spawn spawn) {
        try {
            NamespaceJoin.enter(namespaces);         // this thread only: the JVM's others stay on the host
            int child = spawn.start();               // becomes PID 1 of the new PID namespace
            pid.complete(child);                     // PID as the host sees it; inside it is 1
            waitStatus.complete(Syscalls.waitpid(child)); // keep this thread alive until the container ends
        } catch (Throwable e) {
            pid.completeExceptionally(e);
            waitStatus.completeExceptionally(e);
        }
    }
    // end::spawn-in-namespaces[]

    // tag::spawn-in-user-namespace[]
    /** The same, through a new user namespace: util-linux enters it and creates the rest inside (see UserNamespaceStart). */
    private void runInUserNamespace(List<ContainerSpec.Namespace> namespaces, UserNamespaceStart userns, boolean watchParent,
                                    List<String> command, java.util.function.Function<List<String>, Spawn> withFds) {
        try {
            int create = NamespaceJoin.join(namespaces);   // paths (an engine's network) are joined from the host's side
            Syscalls.prctl(dev.minidocker.sys.Prctl.PR_SET_CHILD_SUBREAPER, 1);      // an orphaned init stage comes to this process
            int child;
            try (UserNamespaceStart.Holder holder = userns.holder()) {
                userns.idmapLayers(holder);
                int shim = withFds.apply(UserNamespaceStart.enterAndCreate(holder, create, watchParent, command)).start();
                child = shim;
                if (UserNamespaceStart.forks(create)) {
                    child = UserNamespaceStart.awaitChild(shim); // PID 1 inside
                    Native.libc().kill(shim, dev.minidocker.sys.Signals.SIGKILL);          // its parent goes: it is reparented to this process
                    Syscalls.waitpid(shim);
                }
            }
            pid.complete(child);                               // the holder has gone: the init stage keeps the namespace
            waitStatus.complete(Syscalls.waitpid(child));
        } catch (Throwable e) {
            pid.completeExceptionally(e);
            waitStatus.completeExceptionally(e);
        }
    }
    // end::spawn-in-user-namespace[]

    /** The command line of the init JVM: the same Java and class path, tuned to start fast. */
    static List<String> initCommand(int controlFd, int syncFd, int parentPid) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");   // the init stage runs once: no need for the optimizing JIT
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");          // no /tmp/hsperfdata file: it would be PID 1's and outlive us
        cmd.add("-Xss512k");
        cmd.add("-Xmx64m");
        String cds = System.getProperty("mini.cds.archive");
        if (cds != null && !cds.isEmpty() && java.nio.file.Files.isRegularFile(Path.of(cds))) {
            // classes pre-parsed by the launcher (see ClassDataTraining): an AOT cache on JDK 25+, else a CDS archive;
            // a stale one is just not used, with no warning on the container's stderr
            if (cds.endsWith(".aot")) {
                cmd.add("-XX:AOTCache=" + cds);
                cmd.add("-Xlog:aot=off,cds=off");
            } else {
                cmd.add("-XX:SharedArchiveFile=" + cds);
                cmd.add("-Xlog:cds=off,cds+dynamic=off");
            }
        }
        for (String property : List.of("jnr.ffi.asm.enabled", "jffi.boot.library.path")) {
            String value = System.getProperty(property);
            if (value != null) {
                cmd.add("-D" + property + "=" + value); // the same fast start as the runtime's own JVM
            }
        }
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // jffi uses Unsafe: no warning on the container's stderr
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(InitStage.class.getName());
        cmd.add(Integer.toString(controlFd));
        cmd.add(Integer.toString(syncFd));
        cmd.add(Integer.toString(parentPid));
        return cmd;
    }

    void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int[] cloexecPipe() {
        int[] fds = Syscalls.pipe2(O_CLOEXEC);
        // keep them away from stdio, preserved descriptors and the init stage's pipe numbers
        int[] moved = {Syscalls.dupCloexec(fds[0], 64), Syscalls.dupCloexec(fds[1], 64)};
        Syscalls.close(fds[0]);
        Syscalls.close(fds[1]);
        return moved;
    }
}
