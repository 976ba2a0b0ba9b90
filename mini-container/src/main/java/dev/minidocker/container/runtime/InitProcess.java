package dev.minidocker.container.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;
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

    /** Spawns the init stage for the container whose config.json is at configFile. */
    static InitProcess spawn(String id, List<Namespace> namespaceList, Path configFile, Stdio stdio,
                             int startReadFd, int errorWriteFd) {
        List<String> env = new ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        if (System.getenv("MINI_TRACE") != null) {
            env.add("MINI_TRACE=" + System.getenv("MINI_TRACE"));
        }
        Spawn spawn = new Spawn(initCommand(configFile), env);
        if (stdio.stdin() != null) {
            spawn.openForReading(0, stdio.stdin().toString());
        }
        if (stdio.stdout() != null) {
            spawn.openForWriting(1, stdio.stdout().toString());
        }
        if (stdio.stderr() != null) {
            spawn.openForWriting(2, stdio.stderr().toString());
        }
        spawn.dup2(startReadFd, InitPipes.START_FD).dup2(errorWriteFd, InitPipes.ERROR_FD);
        EnumSet<Namespace> namespaces = namespaceList.isEmpty()
                ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(namespaceList);

        Native.warmUp(); // load the bindings now: the namespace thread must not need new threads
        InitProcess[] self = new InitProcess[1];
        Thread t = new Thread(() -> self[0].runInNamespaces(namespaces, spawn),
                "container-" + id.substring(0, 12));
        self[0] = new InitProcess(t);
        t.start();
        return self[0];
    }

    // tag::spawn-in-namespaces[]
    private void runInNamespaces(EnumSet<Namespace> namespaces, Spawn spawn) {
        try {
            Namespaces.unshare(namespaces);          // this thread only: the JVM's others stay on the host
            int child = spawn.start();               // becomes PID 1 of the new PID namespace
            pid.complete(child);                     // PID as the host sees it; inside it is 1
            waitStatus.complete(Syscalls.waitpid(child)); // keep this thread alive until the container ends
        } catch (Throwable e) {
            pid.completeExceptionally(e);
            waitStatus.completeExceptionally(e);
        }
    }
    // end::spawn-in-namespaces[]

    /** The command line of the init JVM: the same Java and class path, tuned to start fast. */
    static List<String> initCommand(Path configFile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");   // the init stage runs once: no need for the optimizing JIT
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");          // no /tmp/hsperfdata file: it would be PID 1's and outlive us
        cmd.add("-Xshare:auto");
        cmd.add("-Xss512k");
        cmd.add("-Xmx64m");
        String cds = System.getProperty("mini.cds.archive");
        if (cds != null && !cds.isEmpty() && java.nio.file.Files.isRegularFile(Path.of(cds))) {
            cmd.add("-XX:SharedArchiveFile=" + cds); // classes pre-parsed by the launcher (see ClassDataTraining)
            cmd.add("-Xlog:cds=off,cds+dynamic=off"); // a stale archive is just not used: no warning on the container's stderr
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
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(InitStage.class.getName());
        cmd.add(configFile.toString());
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
        // keep them away from 0-4, where the init stage expects stdio and its pipes
        int[] moved = {Syscalls.dupCloexec(fds[0], 10), Syscalls.dupCloexec(fds[1], 10)};
        Syscalls.close(fds[0]);
        Syscalls.close(fds[1]);
        return moved;
    }
}
