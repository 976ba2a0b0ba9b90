package dev.minidocker.ch13;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Native;

/**
 * Chapter 13: the life of a container. A detached container outlives the command that made it:
 * a monitor (conmon) holds its stdio, is its parent (a subreaper) and keeps its exit status. exec
 * adds processes to it from a thread that joins its namespaces; a terminal is a pty of its own
 * devpts; volumes are the files that outlive it.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 13: The life of a container: monitors, exec, terminals, volumes");
        Demos.requireRootOrExplain(n);
        Path store = Files.createTempDirectory("ch13-");
        Mini mini = new Mini(store);
        try {
            orphans(n);
            if (!Files.isExecutable(Path.of("/usr/bin/conmon"))) {
                n.say("conmon is not installed here (sudo .ci/install-packages installs it): skipping the detached container");
            } else {
                int pid = detached(n, mini);
                joining(n, mini, pid);
                ending(n, mini, store);
            }
            volumes(n, mini, store);
        } finally {
            mini.call("rm", "-f", "ch13-box");
            mini.call("volume", "rm", "ch13-data");
            FileTrees.delete(store);
        }
        n.conclude("the engine may come and go: the monitor is the container's parent, exec joins it from outside, volumes outlive it");
    }

    private static void orphans(Narrator n) throws IOException, InterruptedException {
        n.step("An orphan's new parent: init, unless an ancestor is a subreaper (prctl PR_SET_CHILD_SUBREAPER)",
                "sh starts a sleep in the background and exits: who is the sleep's parent now, and who can learn how it ended?");
        Subreaper.Orphan lost = Subreaper.orphan(false);
        n.host("without: orphan " + lost.pid() + " adopted by PID " + lost.adoptedBy() + " (" + comm(lost.adoptedBy()) + "): its exit status is not ours");
        Subreaper.Orphan kept = Subreaper.orphan(true);
        n.host("as a subreaper: orphan " + kept.pid() + " adopted by PID " + kept.adoptedBy() + " (this demo, PID "
                + Native.libc().getpid() + "), reaped with waitpid: exit " + kept.exitCode());
    }

    private static int detached(Narrator n, Mini mini) throws IOException, InterruptedException {
        n.step("run -d: " + Mini.shown("run", "-d", "--name", "ch13-box", "busybox", "sh", "-c", "'...; exec sleep 300'"),
                "mini prints the ID and exits; the container runs on, and its parent is conmon, not mini");
        String id = mini.ok("run", "-d", "--name", "ch13-box", "busybox", "sh", "-c",
                "echo hello from PID $$; echo made inside > /tmp/marker; exec sleep 300").trim();
        n.host("mini run -d -> " + id.substring(0, 12) + "... (and mini has exited)");
        int pid = Integer.parseInt(mini.ok("inspect", "ch13-box").replaceAll("(?s).*\"Pid\": ([0-9]+).*", "$1"));
        int parent = Subreaper.parentOf(pid);
        n.host("its PID 1 is PID " + pid + " on the host; its parent: PID " + parent + " (" + comm(parent) + ")");
        String stdout = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1")).toString();
        n.host("/proc/" + pid + "/fd/1 -> " + stdout + "; conmon holds the other end: "
                + holds(parent, stdout.replace("pipe:", "").replaceAll("[\\[\\]]", "")));
        n.host(Mini.shown("logs", "ch13-box") + " (what conmon wrote to the log):");
        n.insideLines(mini.ok("logs", "ch13-box"));
        return pid;
    }

    private static void joining(Narrator n, Mini mini, int pid) throws Exception {
        n.step("setns(2) into its mount namespace, from a thread of this JVM",
                "the kernel refuses a thread that shares its root and working directory (fs_struct) with others: unshare(CLONE_FS) first");
        MountJoin.Attempt shared = MountJoin.join(pid, false, "/tmp/marker");
        n.host("setns(CLONE_NEWNS) on a thread sharing fs_struct -> " + shared.error());
        MountJoin.Attempt own = MountJoin.join(pid, true, "/tmp/marker");
        n.host("unshare(CLONE_FS), then setns -> the thread reads the container's /tmp/marker: " + own.read().strip());

        n.step("exec: " + Mini.shown("exec", "ch13-box", "sh", "-c", "'...'"),
                "the new process is in PID 1's namespaces (same inode numbers), and no JVM is among the container's processes");
        n.insideLines(mini.ok("exec", "ch13-box", "sh", "-c",
                "echo \"mnt $(readlink /proc/self/ns/mnt) PID 1's $(readlink /proc/1/ns/mnt)\";"
                        + " echo \"pid $(readlink /proc/self/ns/pid) PID 1's $(readlink /proc/1/ns/pid)\";"
                        + " echo processes: $(for p in /proc/[0-9]*; do cat $p/comm; done)"));

        n.step("exec -t: " + Mini.shown("exec", "-t", "ch13-box", "sh", "-c", "'tty; ps -o pid,pgid,sid,tty,comm; exit 0'"),
                "a pty of the container's own devpts (TT 136,N); the shell leads a session (SID = its PID) whose controlling terminal it is");
        n.insideLines(mini.ok("exec", "-t", "ch13-box", "sh", "-c", "tty; ps -o pid,pgid,sid,tty,comm; exit 0").replace("\r\n", "\n"));
    }

    private static void ending(Narrator n, Mini mini, Path store) throws IOException, InterruptedException {
        n.step("stop: " + Mini.shown("stop", "-t", "1", "ch13-box"),
                "sleep as PID 1 ignores SIGTERM; SIGKILL ends it; conmon reaps it and writes its status where the engine finds it");
        mini.ok("stop", "-t", "1", "ch13-box");
        try (Stream<Path> exits = Files.list(store.resolve("containers"))) {
            Path bundle = exits.filter(p -> Files.exists(p.resolve("exits"))).findFirst().orElseThrow();
            try (Stream<Path> f = Files.list(bundle.resolve("exits"))) {
                Path exit = f.findFirst().orElseThrow();
                n.host("exits/" + exit.getFileName().toString().substring(0, 12) + "... (written by conmon) -> " + Files.readString(exit).strip());
            }
        }
        n.host(Mini.shown("ps", "-a") + " -> " + mini.ok("ps", "-a").lines().filter(l -> l.endsWith("ch13-box")).findFirst().orElse("")
                .replaceAll("\\s{2,}", "  "));
    }

    private static void volumes(Narrator n, Mini mini, Path store) throws IOException, InterruptedException {
        n.step("volumes: " + Mini.shown("run", "--rm", "-v", "ch13-data:/data", "busybox", "..."),
                "a file in the volume is there for the next container; a file elsewhere went with the first one's upper layer");
        mini.ok("run", "--rm", "-v", "ch13-data:/data", "busybox", "sh", "-c", "echo kept > /data/f; echo written > /tmp/g");
        n.insideLines(mini.ok("run", "--rm", "-v", "ch13-data:/data", "busybox", "sh", "-c",
                "echo /data/f: $(cat /data/f); echo /tmp/g: $(cat /tmp/g 2>&1)"));
        n.host("the volume on the host: " + mini.ok("volume", "inspect", "ch13-data").replaceAll("(?s).*\"Mountpoint\": \"([^\"]+)\".*", "$1")
                .replace(store.toString(), "$MINI_ROOT"));
        Path host = Files.createDirectories(store.resolve("host-dir"));
        Files.writeString(host.resolve("notes"), "from the host\n");
        n.host("a bind mount, read-only: " + Mini.shown("run", "--rm", "-v", "HOST_DIR:/h:ro", "busybox", "..."));
        n.insideLines(mini.ok("run", "--rm", "-v", host + ":/h:ro", "busybox", "sh", "-c",
                "cat /h/notes; echo x > /h/new 2>/dev/null || echo 'writing /h/new: refused (read-only)'"));
    }

    private static String comm(int pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
    }

    /** Whether process pid has pipe inode among its descriptors. */
    private static String holds(int pid, String inode) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("pipe:[" + inode + "]");
                } catch (IOException e) {
                    return false;
                }
            }) ? "pipe:[" + inode + "] is among conmon's descriptors" : "(not found)";
        }
    }
}
