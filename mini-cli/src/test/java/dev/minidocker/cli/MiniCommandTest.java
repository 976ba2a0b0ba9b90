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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/**
 * End to end: the real ./mini launcher, as a user runs it, against a store of its own.
 * Runs after packaging (integration-test phase), so the launcher finds the built jars.
 */
class MiniCommandTest {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", "..")).toAbsolutePath().normalize();
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "mini-cli-test-root");

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void needsRoot() {
        Privileged.requireRoot();
    }

    static Run mini(String... args) throws IOException, InterruptedException {
        return mini(List.of(), args);
    }

    static Run mini(List<String> prefix, String... args) throws IOException, InterruptedException {
        Process p = start(prefix, args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "mini did not finish");
        return new Run(p.exitValue(), out, err);
    }

    static Process start(List<String> prefix, String... args) throws IOException {
        return start(prefix, java.util.Map.of(), args);
    }

    static Process start(List<String> prefix, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(PROJECT.resolve("mini").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(PROJECT.toFile());
        pb.environment().put("MINI_ROOT", ROOT.toString());
        pb.environment().put("MINI_NO_BUILD", "1");
        // the default, --network bridge, would change the shared machine's own network (mini0, nftables,
        // ip_forward): these runs stay offline, and NetworkRunTest runs networked ones in a namespace world
        pb.environment().put("MINI_DEFAULT_NETWORK", "none");
        pb.environment().put("MINI_RUN_ROOT", ROOT.resolve("run").toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void runPrintsWhatTheContainerPrints() throws Exception {
        Run r = mini("run", "--rm", "busybox", "echo", "hello");
        assertEquals(0, r.code(), r.err());
        assertEquals("hello\n", r.out());
    }

    @Test
    void runWithoutNetworkTakesTheInitStageStartedFirst() throws Exception {
        Process p = start(List.of(), java.util.Map.of("MINI_TRACE", "1"), "run", "--rm", "--hostname", "pre-box",
                "busybox", "sh", "-c", "echo $$ $(hostname)");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "mini did not finish");
        assertEquals(0, p.exitValue(), err);
        assertEquals("1 pre-box\n", out, "the command is PID 1 with the spec's hostname");
        assertTrue(err.contains("run: init stage spawned") && err.contains("the waiting init stage taken"),
                "create used the init stage mini run started before the image lookup:\n" + err);
    }

    @Test
    void runPassesEnvironmentWorkdirAndHostname() throws Exception {
        Run r = mini("run", "--rm", "--hostname", "cli-box", "-e", "GREETING=hi there", "-w", "/data",
                "busybox", "sh", "-c", "echo \"$GREETING|$(pwd)|$(hostname)\"");
        assertEquals("hi there|/data|cli-box\n", r.out(), r.err());
    }

    @Test
    void withoutOverlayfsTheContainerGetsAFlattenedCopy() throws Exception {
        Process p = start(List.of(), java.util.Map.of("MINI_ROOTFS", "copy"), "run", "--rm", "busybox", "sh", "-c",
                "grep -c ' - overlay ' /proc/self/mountinfo; ls /bin/busybox; touch /new-file && echo writable");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        List<String> lines = out.lines().toList();
        assertEquals("0", lines.get(0), "the root is still an overlay: " + out);
        assertEquals(List.of("/bin/busybox", "writable"), lines.subList(1, 3), out);
        // the image's own layer is untouched by the container's write
        assertEquals(0, mini("run", "--rm", "busybox", "test", "!", "-e", "/new-file").code());
    }

    @Test
    void exitCodesFollowDocker() throws Exception {
        assertEquals(3, mini("run", "--rm", "busybox", "sh", "-c", "exit 3").code());
        Run missing = mini("run", "--rm", "busybox", "no-such-command");
        assertEquals(127, missing.code());
        assertEquals("mini: exec: \"no-such-command\": executable file not found in $PATH\n", missing.err());
        Run badFlag = mini("run", "--no-such-flag", "busybox");
        assertEquals(125, badFlag.code());
        assertEquals(1, badFlag.err().lines().count(), badFlag.err());
        assertTrue(badFlag.err().contains("--no-such-flag"), badFlag.err());
        Run noImage = mini("run", "--rm", "no-such-image");
        assertEquals(125, noImage.code());
        assertEquals("mini: image \"no-such-image\" not found: load it with './mini load FILE' ('./mini images' lists the images here)\n",
                noImage.err());
    }

    @Test
    void usernsPrivateMapsTheContainersRootToAnUnprivilegedRange() throws Exception {
        Run r = mini("run", "--rm", "--userns=private", "busybox", "sh", "-c", "id -u; cat /proc/self/uid_map; stat -c %u /etc/passwd");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("0", lines.get(0));
        dev.minidocker.container.ns.SubordinateIds.Mapping m = dev.minidocker.container.ns.SubordinateIds.forHost();
        assertEquals(List.of("0", Long.toString(m.uids().first()), Long.toString(m.size())), List.of(lines.get(1).trim().split("\\s+")));
        assertEquals("0", lines.get(2), "the image's files keep their owner inside");
        assertEquals("mini: --userns bogus: use host, private or auto\n", mini("run", "--rm", "--userns", "bogus", "busybox", "true").err());
        // without overlayfs the container's own flattened copy has its owners shifted into the range instead
        Process copy = start(List.of(), java.util.Map.of("MINI_ROOTFS", "copy"), "run", "--rm", "--userns=private", "busybox", "sh", "-c",
                "stat -c %u:%g /etc/passwd; touch /etc/new && echo written");
        String copyOut = new String(copy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String copyErr = new String(copy.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(copy.waitFor(120, TimeUnit.SECONDS));
        assertEquals("0:0\nwritten\n", copyOut, copyErr);
    }

    @Test
    void psShowsAStoppedContainerAndRmRemovesIt() throws Exception {
        Run r = mini("run", "--name", "cli-ps-test", "busybox", "sh", "-c", "exit 4");
        assertEquals(4, r.code());
        Run ps = mini("ps", "-a");
        String line = ps.out().lines().filter(l -> l.endsWith("cli-ps-test")).findFirst().orElse("");
        assertTrue(line.contains("Exited (4)"), ps.out());
        assertEquals("cli-ps-test\n", mini("rm", "cli-ps-test").out());
        assertFalse(mini("ps", "-a").out().contains("cli-ps-test"));
    }

    @Test
    void sigtermToMiniStopsTheContainerAndLeavesNothing() throws Exception {
        Process p = start(List.of(), "run", "--rm", "--name", "cli-sigterm", "--stop-timeout", "1", "busybox",
                "sh", "-c", "echo started; sleep 60");
        byte[] first = p.getInputStream().readNBytes("started\n".length()); // the container is running
        assertEquals("started\n", new String(first, StandardCharsets.UTF_8));
        String mountsBefore = Files.readString(Path.of("/proc/self/mountinfo"));
        String psLine = mini("ps").out().lines().filter(l -> l.endsWith("cli-sigterm")).findFirst().orElse("");
        assertTrue(psLine.contains(" Up "), "mini ps does not show the running container: " + psLine);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"Pid\": (\\d+)").matcher(mini("inspect", "cli-sigterm").out());
        assertTrue(m.find(), "mini inspect does not give the container's PID");
        Path pid1 = Path.of("/proc", m.group(1));
        assertTrue(Files.exists(pid1));
        // the launcher execs java, so p is the runtime itself
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mini did not stop after SIGTERM");
        // sh as PID 1 has no TERM handler, so the stop timeout ends it with SIGKILL
        assertEquals(137, p.exitValue());
        assertFalse(mini("ps", "-a").out().contains("cli-sigterm"), "the container is still listed");
        Path containers = ROOT.resolve("containers");
        try (var s = Files.list(containers)) {
            assertEquals(0, s.filter(d -> Files.exists(d.resolve("state.json"))).filter(d -> {
                try {
                    return Files.readString(d.resolve("state.json")).contains("cli-sigterm");
                } catch (IOException e) {
                    return false;
                }
            }).count(), "the container's directory is left behind");
        }
        assertEquals(mountsBefore, Files.readString(Path.of("/proc/self/mountinfo")));
        Run ps = mini("run", "--rm", "busybox", "true"); // the name is free again
        assertEquals(0, ps.code());
        assertFalse(Files.exists(pid1), "the container's PID 1 survived");
    }

    @Test
    void sigintToMiniReachesTheContainersHandler() throws Exception {
        Process p = start(List.of(), "run", "--rm", "busybox",
                "sh", "-c", "trap 'echo got SIGINT; exit 7' INT; echo ready; while true; do sleep 1; done");
        byte[] first = p.getInputStream().readNBytes("ready\n".length());
        assertEquals("ready\n", new String(first, StandardCharsets.UTF_8));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "mini did not end after SIGINT");
        assertEquals("got SIGINT\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(7, p.exitValue());
    }

    @Test
    void doctorReportsEveryCheck() throws Exception {
        Run r = mini("doctor");
        for (String check : List.of("root", "kernel", "namespace uts", "namespace ipc", "namespace net", "namespace mnt",
                "namespace pid", "userns unprivileged", "subuid/subgid", "newuidmap", "cgroup delegation", "cgroups", "overlayfs", "writable layers", "propagation of /", "seccomp", "devices",
                "kvm", "java")) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("(OK|WARN|FAIL)\\s+" + java.util.regex.Pattern.quote(check) + "\\s.*")),
                    "no line for " + check + ":\n" + r.out());
        }
        assertTrue(r.out().contains("OK    root"), r.out());
    }

    @Test
    void helpIsTrueForEveryCommand() throws Exception {
        Run top = mini("--help");
        assertEquals(0, top.code());
        for (String cmd : List.of("run", "ps", "rm", "images", "doctor")) {
            Run h = mini(cmd, "--help");
            assertEquals(0, h.code(), cmd);
            assertTrue(h.out().startsWith("Usage: mini " + cmd), h.out());
            assertTrue(top.out().contains("  " + cmd + " "), "mini --help does not list " + cmd);
        }
        assertTrue(mini("run", "--help").out().contains("--isolation"));
    }

}
