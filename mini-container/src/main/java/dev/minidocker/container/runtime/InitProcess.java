package dev.minidocker.container.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import jnr.posix.SpawnAttribute;
import jnr.posix.SpawnFileAction;

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
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_CLOEXEC = 02000000;

    final CompletableFuture<Integer> pid = new CompletableFuture<>();
    final CompletableFuture<Integer> waitStatus = new CompletableFuture<>();
    private final Thread thread;

    private InitProcess(Thread thread) {
        this.thread = thread;
    }

    /** Spawns the init stage for the container whose config.json is at configFile. */
    static InitProcess spawn(ContainerSpec spec, Path configFile, Stdio stdio, int startReadFd, int errorWriteFd) {
        List<String> argv = initCommand(configFile);
        List<SpawnFileAction> actions = new ArrayList<>();
        if (stdio.stdin() != null) {
            actions.add(SpawnFileAction.open(stdio.stdin().toString(), 0, O_RDONLY, 0));
        }
        if (stdio.stdout() != null) {
            actions.add(SpawnFileAction.open(stdio.stdout().toString(), 1, O_WRONLY | O_CREAT | O_TRUNC, 0644));
        }
        if (stdio.stderr() != null) {
            actions.add(SpawnFileAction.open(stdio.stderr().toString(), 2, O_WRONLY | O_CREAT | O_TRUNC, 0644));
        }
        actions.add(SpawnFileAction.dup(startReadFd, InitPipes.START_FD));
        actions.add(SpawnFileAction.dup(errorWriteFd, InitPipes.ERROR_FD));
        List<SpawnAttribute> attributes = List.of(); // jnr-posix cannot set sigmask here: InitStage resets signals
        List<String> envp = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        EnumSet<Namespace> namespaces = spec.namespaces().isEmpty()
                ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(spec.namespaces());

        Native.warmUp(); // load the bindings now: the namespace thread must not need new threads
        InitProcess[] self = new InitProcess[1];
        Thread t = new Thread(() -> self[0].runInNamespaces(namespaces, argv, actions, attributes, envp),
                "container-" + spec.id().substring(0, 12));
        self[0] = new InitProcess(t);
        t.start();
        return self[0];
    }

    // tag::spawn-in-namespaces[]
    private void runInNamespaces(EnumSet<Namespace> namespaces, List<String> argv, List<SpawnFileAction> actions,
                                 List<SpawnAttribute> attributes, List<String> envp) {
        try {
            Namespaces.unshare(namespaces);          // this thread only: the JVM's others stay on the host
            long child = Native.posix().posix_spawnp(argv.get(0), actions, attributes, argv, envp);
            if (child < 0) {
                throw new SyscallException("posix_spawnp", Native.posix().errno(), argv.get(0));
            }
            pid.complete((int) child);               // PID as the host sees it; inside it is 1
            waitStatus.complete(reap((int) child));  // keep this thread alive until the container ends
        } catch (Throwable e) {
            pid.completeExceptionally(e);
            waitStatus.completeExceptionally(e);
        }
    }
    // end::spawn-in-namespaces[]

    /** waitpid(2), retried when a signal interrupts it. */
    private static int reap(int child) {
        int[] status = new int[1];
        while (true) {
            int r = Native.posix().waitpid(child, status, 0);
            if (r == child) {
                return status[0];
            }
            int errno = Native.posix().errno();
            if (errno != Errno.EINTR) {
                throw new SyscallException("waitpid", errno, Integer.toString(child));
            }
        }
    }

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
        if (cds != null && !cds.isEmpty()) {
            cmd.add("-XX:SharedArchiveFile=" + cds);
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
        int[] fds = dev.minidocker.sys.Syscalls.pipe2(O_CLOEXEC);
        // keep them away from 0-4, where the init stage expects stdio and its pipes
        int[] moved = {dev.minidocker.sys.Syscalls.dupCloexec(fds[0], 10), dev.minidocker.sys.Syscalls.dupCloexec(fds[1], 10)};
        dev.minidocker.sys.Syscalls.close(fds[0]);
        dev.minidocker.sys.Syscalls.close(fds[1]);
        return moved;
    }
}
