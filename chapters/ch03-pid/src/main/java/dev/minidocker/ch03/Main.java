package dev.minidocker.ch03;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;

/**
 * Chapter 3: in a new PID namespace the first process is PID 1, but a JVM thread that
 * unshared it can no longer start threads, and /proc still shows the host until someone
 * inside mounts a new one. Hence the init stage: a second JVM, spawned into the namespaces,
 * that mounts /proc from inside and then execs the command.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 3: The PID namespace and the init stage");
        Demos.requireRootOrExplain(n);

        n.step("On a thread: unshare(CLONE_NEWPID), then try to start a Java thread",
                "it fails: the JVM cannot even start a thread there, let alone fork");
        n.host(PidDemo.startThreadAfterUnsharingPid());

        n.step("From that kind of thread, posix_spawn a shell straight into the new PID namespace",
                "the shell is PID 1, yet /proc lists the host's processes: it is still the host's /proc");
        PidDemo.Seen seen = PidDemo.spawnShellWithoutInit();
        n.inside("echo $$            -> " + seen.pidOfShell());
        n.inside("ls /proc | count   -> " + seen.processesInProc() + " processes (the host's)");

        n.step("Now a real container: the init stage mounts /proc from inside, then execs ps",
                "ps sees PID 1 and itself, nothing else");
        n.insideLines(Demos.container("sh", "-c", "ps -o pid,ppid,comm; true").run().stdout());

        n.conclude("only a process inside the PID namespace can mount its /proc: that is the init stage's first job");
    }
}
