package dev.minidocker.ch13;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.sys.Native;
import dev.minidocker.sys.Prctl;
import dev.minidocker.sys.Spawn;
import dev.minidocker.sys.Syscalls;

/**
 * What a monitor is for, in one system call. When a process dies its children are orphans; the
 * kernel gives them a new parent: the nearest ancestor that called
 * {@code prctl(PR_SET_CHILD_SUBREAPER, 1)}, else init (PID 1). conmon and containerd's shim do call
 * it, so that a container's PID 1, left behind by the runtime that created it ({@code runc create}
 * exits), becomes their child: they can wait for it and keep its exit status.
 */
public final class Subreaper {
    /** An orphan, who adopted it, and (if this process did) how it ended. */
    public record Orphan(int pid, int adoptedBy, Integer exitCode) {
    }

    private Subreaper() {
    }

    // tag::subreaper[]
    /**
     * Runs {@code sh -c 'sleep 0.5 & echo $!'}: the shell exits at once, so the sleep is an orphan.
     * As a subreaper this process adopts it (its PPID becomes ours) and can reap it; without, it
     * goes to init, and this process could never learn how it ended.
     */
    public static Orphan orphan(boolean subreaper) throws IOException, InterruptedException {
        Syscalls.prctl(Prctl.PR_SET_CHILD_SUBREAPER, subreaper ? 1 : 0);
        try {
            Path out = Files.createTempFile("ch13-orphan", ".txt");
            try {
                int shell = new Spawn(List.of("sh", "-c", "sleep 0.5 & echo $!"), List.of("PATH=/usr/bin:/bin"))
                        .openForWriting(1, out.toString()).start();
                Syscalls.waitpid(shell);                      // the shell is gone; its child lives on
                int orphan = Integer.parseInt(Files.readString(out).trim());
                int parent = parentOf(orphan);
                Integer code = null;
                if (parent == Native.libc().getpid()) {
                    code = Syscalls.waitpid(orphan) >> 8;     // ours now: its exit status is ours to read
                }
                return new Orphan(orphan, parent, code);
            } finally {
                Files.deleteIfExists(out);
            }
        } finally {
            Syscalls.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 0);
        }
    }
    // end::subreaper[]

    /** Field 4 of /proc/PID/stat: the parent's PID. */
    static int parentOf(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }
}
