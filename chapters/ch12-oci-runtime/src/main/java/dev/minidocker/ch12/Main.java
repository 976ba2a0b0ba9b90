package dev.minidocker.ch12;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.fs.FileTrees;

/**
 * Chapter 12: the OCI runtime. An engine hands a runtime a bundle (a root filesystem and a
 * config.json) and drives it with one command per operation: create builds the container and
 * leaves its init stage waiting, start lets it exec the program, state reports, delete cleans
 * up. The demo does each by hand with ./mini-runc, then lets podman do the same.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 12: The OCI runtime: bundles, create and start, engines");
        Demos.requireRootOrExplain(n);
        Path work = Files.createTempDirectory("ch12-");
        try {
            byHand(n, work);
            throughPodman(n, work);
        } finally {
            FileTrees.delete(work);
        }
        n.conclude("create builds and waits, start lets go: that split is what lets an engine prepare a container, then run it");
    }

    private static void byHand(Narrator n, Path work) throws IOException {
        Path bundle = Bundles.make(work.resolve("bundle"), false, "sh", "-c", "echo \"hello from $(hostname), PID $$\"");
        Runc runc = new Runc(work.resolve("state"));
        Path out = work.resolve("container-output.txt");

        n.step("A bundle is a directory: a root filesystem and config.json (written like 'mini-runc spec')",
                "config.json says what to run, in which root, in which namespaces: nothing else is needed");
        try (Stream<Path> s = Files.list(bundle)) {
            n.host("ls bundle -> " + s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String line : Files.readAllLines(bundle.resolve("config.json"))) {
            if (line.contains("\"args\"") || line.contains("\"path\": \"rootfs\"") || line.contains("\"type\": \"pid\"")
                    || line.contains("\"hostname\"")) {
                n.host("config.json:" + line);
            }
        }

        n.step("create: " + Runc.shown("create", "--bundle", "bundle", "--pid-file", "pid", "demo"),
                "the container exists, state 'created': its init stage has made the mounts and waits; the program has not run");
        Runc.Result created = runc.call(out, "create", "--bundle", bundle.toString(), "--pid-file", work.resolve("pid").toString(), "demo");
        check(created);
        String pid = Files.readString(work.resolve("pid"));
        n.host(Runc.shown("state", "demo") + " -> " + status(runc, work));
        n.host("pid file -> " + pid + "; /proc/" + pid + "/cmdline -> "
                + Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ').replaceAll(".* (\\S+InitStage) .*", "java ... $1 ..."));
        try (Stream<Path> s = Files.list(work.resolve("state/demo"))) {
            n.host("ls state/demo -> " + s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        n.host("what the program printed so far: " + (created.out().isEmpty() ? "(nothing)" : created.out()));

        n.step("start: " + Runc.shown("start", "demo"),
                "start opens exec.fifo; the init stage's blocked open returns, and it execs the program, which keeps PID 1");
        check(runc.call(work.resolve("start-output.txt"), "start", "demo"));
        awaitStopped(runc, work);
        n.insideLines(Files.readString(out));
        n.host(Runc.shown("state", "demo") + " -> " + status(runc, work));

        n.step("delete: " + Runc.shown("delete", "demo"), "the state directory and the cgroup go; a second state says it does not exist");
        check(runc.call(work.resolve("delete-output.txt"), "delete", "demo"));
        Runc.Result gone = runc.call(work.resolve("state-output.txt"), "state", "demo");
        n.host(Runc.shown("state", "demo") + " -> exit " + gone.code() + ": " + gone.err().strip());
    }

    private static void throughPodman(Narrator n, Path work) throws IOException, InterruptedException {
        n.step("podman --runtime ./mini-runc run: conmon calls create, podman start, then state, kill and delete",
                "the same runtime, now driven by a real engine: the output comes back through conmon");
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            n.say("podman is not installed here (sudo .ci/install-packages installs it): skipping this step");
            return;
        }
        Path rootfs = work.resolve("bundle/rootfs");
        Path tar = work.resolve("rootfs.tar");
        run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
        List<String> podman = List.of("podman", "--root", work.resolve("podman/root").toString(), "--runroot",
                work.resolve("podman/run").toString(), "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs",
                "--events-backend", "file", "--runtime", Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", "."))
                        .toAbsolutePath().resolve("mini-runc").toString());
        run(concat(podman, "import", "-q", tar.toString(), "localhost/ch12"));
        String seen = run(concat(podman, "run", "--rm", "--network", "none", "--hostname", "podbox",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "localhost/ch12",
                "sh", "-c", "echo \"hello from $(hostname), PID $$, under podman\""));
        n.insideLines(seen);
        run(concat(podman, "rmi", "-a", "-f"));
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> l = new java.util.ArrayList<>(a);
        l.addAll(List.of(b));
        return l;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MINI_NO_BUILD", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " failed: " + out);
        }
        return out;
    }

    private static String status(Runc runc, Path work) throws IOException {
        String json = runc.call(work.resolve("state-output.txt"), "state", "demo").out();
        return json.replaceAll("(?s).*\"status\": \"([a-z]+)\".*", "$1") + " (pid " + json.replaceAll("(?s).*\"pid\": ([0-9]+).*", "$1") + ")";
    }

    private static void awaitStopped(Runc runc, Path work) throws IOException {
        for (int i = 0; i < 200 && !status(runc, work).startsWith("stopped"); i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void check(Runc.Result r) {
        if (r.code() != 0) {
            throw new IllegalStateException("mini-runc failed: " + r.err());
        }
    }
}
