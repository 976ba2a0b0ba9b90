package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.minidocker.sys.Privileged;

/**
 * Containers that live on without mini: {@code run -d} under conmon, then the commands that
 * work on them from other processes (ps, logs, exec, stop, kill, start, wait, inspect, rm), as a
 * user types them, against a store of their own. Each asserts what the user sees and what the
 * process inside saw.
 */
class DetachedContainerTest {
    private static final Path PROJECT = MiniRoot.PROJECT;
    private static MiniRoot store;
    private static Path root;

    @BeforeAll
    static void needsRootAndConmon() throws IOException {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/conmon")), "conmon is not installed (apt-get install conmon)");
        store = new MiniRoot("mini-detached");
        root = store.dir;
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    static MiniRoot.Run mini(String... args) throws IOException, InterruptedException {
        return store.mini(args);
    }

    private static JsonObject inspect(String name) throws Exception {
        MiniRoot.Run r = mini("inspect", name);
        assertEquals(0, r.code(), r.err());
        JsonArray a = JsonParser.parseString(r.out()).getAsJsonArray();
        return a.get(0).getAsJsonObject();
    }

    private static String psLine(String name, boolean all) throws Exception {
        MiniRoot.Run r = all ? mini("ps", "-a") : mini("ps");
        for (String line : r.out().split("\n")) {
            if (line.endsWith("  " + name)) {
                return line;
            }
        }
        return null;
    }

    @Test
    void runDetachedReturnsWhileTheContainerRunsUnderItsMonitor() throws Exception {
        MiniRoot.Run run = mini("run", "-d", "--name", "lc-a", "busybox", "sh", "-c",
                "echo started; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo out; echo err >&2; exit 3");
        assertEquals(0, run.code(), run.err());
        String id = run.out().trim();
        assertTrue(id.matches("[0-9a-f]{64}"), "run -d prints the full ID, got: " + run.out());

        String up = psLine("lc-a", false);
        assertTrue(up != null && up.contains(" Up "), "ps shows it running: " + up);
        JsonObject running = inspect("lc-a");
        assertEquals(id, running.get("Id").getAsString());
        JsonObject state = running.getAsJsonObject("State");
        assertTrue(state.get("Running").getAsBoolean());
        int pid = state.get("Pid").getAsInt();
        // its PID 1's parent is the monitor, not the mini that started it (which has exited)
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        int ppid = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        assertEquals("conmon", Files.readString(Path.of("/proc/" + ppid + "/comm")).trim());

        assertEquals(0, mini("exec", "lc-a", "touch", "/tmp/go").code());
        MiniRoot.Run wait = mini("wait", "lc-a");
        assertEquals("3\n", wait.out(), wait.err());
        String exited = psLine("lc-a", true);
        assertTrue(exited != null && exited.contains("Exited (3) "), "ps -a shows how it ended: " + exited);
        assertEquals(null, psLine("lc-a", false), "ps without -a shows running containers only");

        MiniRoot.Run logs = mini("logs", "lc-a");
        assertEquals("started\nout\n", logs.out(), "stdout alone on stdout");
        assertEquals("err\n", logs.err(), "stderr alone on stderr");
        MiniRoot.Run tail = mini("logs", "--tail", "2", "lc-a"); // the last two lines of both streams together
        assertEquals("out\n", tail.out());
        assertEquals("err\n", tail.err());
        MiniRoot.Run stamped = mini("logs", "-t", "lc-a");
        assertTrue(stamped.out().matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z started\n.*"), stamped.out());

        JsonObject ended = inspect("lc-a").getAsJsonObject("State");
        assertEquals(3, ended.get("ExitCode").getAsInt());
        assertFalse(ended.get("Running").getAsBoolean());
        assertEquals("lc-a\n", mini("rm", "lc-a").out());
        assertEquals(null, psLine("lc-a", true));
    }

    @Test
    void stopSendsTermThenKillAndStartRunsTheSameFilesystemAgain() throws Exception {
        // sh as PID 1 ignores SIGTERM unless it traps it: this one does, the first time it runs
        MiniRoot.Run run = mini("run", "-d", "--name", "lc-b", "busybox", "sh", "-c",
                "echo run >> /runs; wc -l < /runs; trap 'echo term; exit 7' TERM; while true; do sleep 0.1; done");
        assertEquals(0, run.code(), run.err());
        MiniRoot.Run stop = mini("stop", "-t", "5", "lc-b");
        assertEquals("lc-b\n", stop.out(), stop.err());
        assertTrue(psLine("lc-b", true).contains("Exited (7) "), psLine("lc-b", true));

        MiniRoot.Run start = mini("start", "lc-b");
        assertEquals(0, start.code(), start.err());
        assertTrue(psLine("lc-b", false).contains(" Up "));
        MiniRoot.Run kill = mini("kill", "-s", "KILL", "lc-b");
        assertEquals(0, kill.code(), kill.err());
        assertEquals("137\n", mini("wait", "lc-b").out());
        // the file written by the first run was still there for the second: the same upper layer
        assertEquals("1\nterm\n2\n", mini("logs", "lc-b").out());
        assertEquals(0, mini("rm", "lc-b").code());
    }

    @Test
    void aDetachedContainerKeepsItsUserNamespaceAcrossAStopAndAStart() throws Exception {
        // PID 1 comes to conmon (the runtime killed util-linux's forking unshare): conmon sees it end.
        // The mapped root must pass through the store to its state and root: others may, as in /var/lib
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        MiniRoot.Run run = mini("run", "-d", "--userns=private", "--name", "lc-userns", "busybox", "sh", "-c",
                "cat /proc/self/uid_map; trap 'exit 5' TERM; while true; do sleep 0.1; done");
        assertEquals(0, run.code(), run.err());
        MiniRoot.Run stop = mini("stop", "-t", "5", "lc-userns");
        assertEquals(0, stop.code(), stop.err());
        assertTrue(psLine("lc-userns", true).contains("Exited (5) "), psLine("lc-userns", true));
        assertEquals(0, mini("start", "lc-userns").code());
        MiniRoot.Run exec = mini("exec", "lc-userns", "true");
        assertEquals(125, exec.code());
        assertTrue(exec.err().startsWith("mini: exec into a container with its own user namespace"), exec.err());
        assertEquals(0, mini("kill", "-s", "KILL", "lc-userns").code());
        assertEquals("137\n", mini("wait", "lc-userns").out());
        List<String> maps = mini("logs", "lc-userns").out().lines().map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        String expected = "0 " + dev.minidocker.container.ns.SubordinateIds.forHost().uids().first() + " "
                + dev.minidocker.container.ns.SubordinateIds.forHost().size();
        assertEquals(List.of(expected, expected), maps, "both runs had the mapping");
        assertEquals(0, mini("rm", "lc-userns").code());
    }

    @Test
    void stopOfAPid1WithoutHandlerEndsWithSigkill() throws Exception {
        assertEquals(0, mini("run", "-d", "--name", "lc-c", "busybox", "sleep", "60").code());
        MiniRoot.Run stop = mini("stop", "-t", "1", "lc-c");
        assertEquals(0, stop.code(), stop.err());
        assertTrue(psLine("lc-c", true).contains("Exited (137) "), psLine("lc-c", true));
        assertEquals(0, mini("rm", "lc-c").code());
    }

    @Test
    void execRunsInTheContainerWithItsFlagsAndNoJvmIsVisible() throws Exception {
        assertEquals(0, mini("run", "-d", "--name", "lc-d", "--hostname", "lc-host", "busybox", "sleep", "60").code());
        MiniRoot.Run e = mini("exec", "-e", "GREETING=hi", "-w", "/tmp", "-u", "1000:1000", "lc-d", "sh", "-c",
                "echo $GREETING $(hostname) $(pwd) $(id -u):$(id -g); read line || echo no-stdin");
        assertEquals("hi lc-host /tmp 1000:1000\nno-stdin\n", e.out(), e.err());
        assertEquals(5, mini("exec", "lc-d", "sh", "-c", "exit 5").code());
        assertEquals(127, mini("exec", "lc-d", "no-such-command").code());
        // every process the container can see, and what each one runs: PID 1 and this shell, no JVM
        MiniRoot.Run procs = mini("exec", "lc-d", "sh", "-c", "for p in /proc/[0-9]*; do echo $(cat $p/comm) $(readlink $p/exe); done");
        assertTrue(procs.out().contains("sleep"), procs.out());
        assertFalse(procs.out().contains("java"), "a JVM is visible in the container:\n" + procs.out());
        MiniRoot.Run rm = mini("rm", "-f", "lc-d");
        assertEquals("lc-d\n", rm.out(), rm.err());
        assertEquals(null, psLine("lc-d", true));
        assertEquals(0, Files.list(root.resolve("runtime")).count(), "the runtime's state went with rm -f");
    }

    @Test
    void aKilledMonitorLeavesNoContainerShownRunning() throws Exception {
        MiniRoot.Run run = mini("run", "-d", "--name", "lc-e", "busybox", "sleep", "60");
        assertEquals(0, run.code(), run.err());
        int pid = inspect("lc-e").getAsJsonObject("State").get("Pid").getAsInt();
        Path bundle = root.resolve("containers").resolve(run.out().trim());
        int monitor = Integer.parseInt(Files.readString(bundle.resolve("conmon.pid")).trim());
        assertEquals(0, new ProcessBuilder("kill", "-9", Integer.toString(monitor)).start().waitFor());
        while (Files.exists(Path.of("/proc/" + monitor + "/status"))
                && !Files.readString(Path.of("/proc/" + monitor + "/status")).contains("State:\tZ")) {
            Thread.sleep(10);
        }
        assertEquals(null, psLine("lc-e", false), "a container without its monitor is not shown running");
        assertEquals(0, mini("rm", "-f", "lc-e").code());
        assertFalse(processRuns(pid), "rm -f ended the unsupervised PID 1");
        assertEquals(0, mini("run", "-d", "--name", "lc-e", "busybox", "true").code(), "the name is free again");
        assertEquals("0\n", mini("wait", "lc-e").out());
        assertEquals(0, mini("rm", "lc-e").code());
    }

    @Test
    void detachedWithRmGoesAwayWhenItEnds() throws Exception {
        MiniRoot.Run run = mini("run", "-d", "--rm", "--name", "lc-f", "busybox", "true");
        assertEquals(0, run.code(), run.err());
        Path bundle = root.resolve("containers").resolve(run.out().trim());
        for (int i = 0; i < 600 && Files.exists(bundle.resolve("state.json")); i++) {
            Thread.sleep(50); // the monitor's exit command removes it
        }
        assertEquals(null, psLine("lc-f", true));
        assertFalse(Files.exists(root.resolve("containers").resolve(run.out().trim())));
    }

    @Test
    void rmiRefusesAnImageAContainerUsesAndForcedNeverTakesItsLayers() throws Exception {
        assertEquals(0, mini("run", "-d", "--name", "lc-g", "busybox", "sleep", "60").code());
        MiniRoot.Run refused = mini("rmi", "busybox");
        assertEquals(125, refused.code());
        assertEquals("mini: conflict: unable to remove busybox: container lc-g uses it (remove the container first, or untag with rmi -f)\n",
                refused.err());
        MiniRoot.Run forced = mini("rmi", "-f", "busybox");
        assertEquals("Untagged: busybox:latest\n", forced.out(), forced.err());
        MiniRoot.Run inside = mini("exec", "lc-g", "sh", "-c", "ls /bin | wc -l");
        assertTrue(Integer.parseInt(inside.out().trim()) > 100, "the container's /bin lost its files: " + inside.out());
        assertEquals(0, mini("rm", "-f", "lc-g").code());
    }

    @Test
    void eightDetachedRunsAndEightExecsAtOnceAndOneNameWinsOnce() throws Exception {
        List<java.util.concurrent.CompletableFuture<MiniRoot.Run>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "lc-p" + i;
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> call("run", "-d", "--name", name, "busybox", "sleep", "60")));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (var f : runs) {
            MiniRoot.Run r = f.get();
            assertEquals(0, r.code(), r.err());
            ids.add(r.out().trim());
        }
        assertEquals(8, ids.size(), "unique IDs");
        List<java.util.concurrent.CompletableFuture<MiniRoot.Run>> execs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "lc-p" + i;
            execs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> call("exec", name, "hostname")));
        }
        java.util.Set<String> hostnames = new java.util.HashSet<>();
        for (var f : execs) {
            MiniRoot.Run r = f.get();
            assertEquals(0, r.code(), r.err());
            hostnames.add(r.out().trim());
        }
        assertEquals(8, hostnames.size(), "each exec ran in its own container");
        var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> call("run", "-d", "--name", "lc-same", "busybox", "sleep", "60"));
        var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> call("run", "-d", "--name", "lc-same", "busybox", "sleep", "60"));
        MiniRoot.Run ra = a.get();
        MiniRoot.Run rb = b.get();
        assertEquals(125, Math.max(ra.code(), rb.code()), ra.err() + rb.err());
        assertEquals(0, Math.min(ra.code(), rb.code()), ra.err() + rb.err());
        String loser = ra.code() == 125 ? ra.err() : rb.err();
        assertEquals("mini: the name \"lc-same\" is already in use: remove that container (mini rm lc-same) or choose another --name\n", loser);
        List<String> all = new ArrayList<>(List.of("rm", "-f", "lc-same"));
        for (int i = 0; i < 8; i++) {
            all.add("lc-p" + i);
        }
        MiniRoot.Run rm = mini(all.toArray(new String[0]));
        assertEquals(0, rm.code(), rm.err());
    }

    private static MiniRoot.Run call(String... args) {
        try {
            return mini(args);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void volumesOutliveContainersWhileTheUpperLayerGoesWithRm() throws Exception {
        Path host = Files.createDirectories(root.resolve("host-dir"));
        Files.writeString(host.resolve("f"), "from the host\n");
        MiniRoot.Run first = mini("run", "--rm", "-v", host + ":/h:ro", "-v", "lc-vol:/data", "--tmpfs", "/scratch:size=1m", "--read-only",
                "busybox", "sh", "-c", "cat /h/f; touch /h/x || echo ro-bind; echo kept > /data/k; touch /etc/x || echo ro-root; "
                        + "df -k /scratch | tail -1 | awk '{print $1, $2}'; echo upper > /tmp/u 2>/dev/null || true");
        assertEquals("from the host\nro-bind\nro-root\ntmpfs 1024\n", first.out(), first.err());
        assertFalse(Files.exists(host.resolve("x")));
        MiniRoot.Run second = mini("run", "--rm", "--mount", "type=volume,source=lc-vol,target=/v", "busybox", "sh", "-c",
                "cat /v/k; ls /tmp/u 2>/dev/null || echo no-upper-file");
        assertEquals("kept\nno-upper-file\n", second.out(), second.err());
        assertTrue(mini("volume", "ls").out().contains("local     lc-vol\n"));
        assertTrue(mini("volume", "inspect", "lc-vol").out().contains("\"Mountpoint\": \"" + root.resolve("volumes/lc-vol/_data") + "\""));
        assertEquals(0, mini("run", "-d", "--name", "lc-vol-user", "-v", "lc-vol:/data", "busybox", "sleep", "60").code());
        MiniRoot.Run busy = mini("volume", "rm", "lc-vol");
        assertEquals(125, busy.code());
        assertEquals("mini: volume lc-vol is in use by a container: remove the container first\n", busy.err());
        assertEquals(0, mini("rm", "-f", "lc-vol-user").code());
        assertEquals("lc-vol\n", mini("volume", "rm", "lc-vol").out());
        MiniRoot.Run missing = mini("run", "--rm", "-v", "/no/such/dir:/x", "busybox", "true");
        assertEquals(125, missing.code());
        assertEquals("mini: bind mount source path does not exist: /no/such/dir (create it first, or use a named volume: -v NAME:/x)\n",
                missing.err());
    }

    @Test
    void entrypointReplacesTheImagesCommand() throws Exception {
        MiniRoot.Run r = mini("run", "--rm", "--entrypoint", "echo", "busybox", "hi", "there");
        assertEquals("hi there\n", r.out(), r.err());
    }

    @Test
    void initIsPid1AndAClosedPipeEndsTheLoopBehindIt() throws Exception {
        MiniRoot.Run ps = mini("run", "--rm", "--init", "busybox", "sh", "-c", "cat /proc/1/comm; echo $PPID");
        assertEquals("docker-init\n1\n", ps.out(), ps.err());
        // under --init the shell is not PID 1, so SIGPIPE's default action ends it when the reader goes
        ProcessBuilder pb = new ProcessBuilder(PROJECT.resolve("mini").toString(), "run", "--rm", "--init", "busybox", "sh", "-c",
                "while true; do echo x; done");
        pb.environment().put("MINI_ROOT", root.toString());
        pb.environment().put("MINI_RUN_ROOT", root.resolve("run").toString());
        pb.environment().put("MINI_NO_BUILD", "1");
        pb.environment().put("MINI_DEFAULT_NETWORK", "none");
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals("x\nx\n", new String(p.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
        p.getInputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the loop went on writing into a closed pipe");
        assertEquals(128 + 13, p.exitValue(), "ended by SIGPIPE");
    }

    @Test
    void restartOnFailureRestartsAtMostNTimesAndStopIsFinal() throws Exception {
        assertEquals(0, mini("run", "-d", "--name", "lc-r", "--restart", "on-failure:2", "busybox", "sh", "-c", "echo run; exit 1").code());
        for (int i = 0; i < 1200 && inspect("lc-r").get("RestartCount").getAsInt() < 2; i++) {
            Thread.sleep(50);
        }
        assertEquals("1\n", mini("wait", "lc-r").out());
        for (int i = 0; i < 200 && mini("logs", "lc-r").out().length() < "run\nrun\nrun\n".length(); i++) {
            Thread.sleep(50);
        }
        assertEquals("run\nrun\nrun\n", mini("logs", "lc-r").out(), "the first run and two restarts");
        assertEquals(2, inspect("lc-r").get("RestartCount").getAsInt());
        assertEquals(0, mini("rm", "lc-r").code());

        assertEquals(0, mini("run", "-d", "--name", "lc-r2", "--restart", "always", "busybox", "sleep", "60").code());
        assertEquals(0, mini("stop", "-t", "0", "lc-r2").code());
        assertTrue(psLine("lc-r2", true).contains("Exited (137)"), "a stopped container is not restarted: " + psLine("lc-r2", true));
        assertEquals(0, inspect("lc-r2").get("RestartCount").getAsInt());
        assertEquals(0, mini("rm", "lc-r2").code());
        MiniRoot.Run bad = mini("run", "--restart", "sometimes", "busybox", "true");
        assertEquals("mini: invalid --restart sometimes: use no, on-failure[:N] or always\n", bad.err());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        MiniRoot.Run r = mini("stop", "-t", "-1", "nobody");
        assertEquals(125, r.code());
        assertEquals("mini: --time must be 0 or more seconds, got -1\n", r.err());
        MiniRoot.Run s = mini("run", "--stop-timeout", "-1", "busybox", "true");
        assertEquals(125, s.code());
        assertEquals("mini: --stop-timeout must be 0 or more seconds, got -1\n", s.err());
        MiniRoot.Run empty = mini("run", "--name", "", "busybox", "true");
        assertEquals("mini: invalid container name \"\": use letters, digits and _ . - (starting with a letter or digit)\n", empty.err());
        MiniRoot.Run n = mini("logs", "no-such-container");
        assertEquals("mini: no such container: no-such-container ('mini ps -a' lists them)\n", n.err());
        assertEquals(125, mini("exec", "-t", "nobody", "sh").code());
    }

    private static boolean processRuns(int pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        return Files.exists(status) && !Files.readString(status).contains("State:\tZ");
    }
}
