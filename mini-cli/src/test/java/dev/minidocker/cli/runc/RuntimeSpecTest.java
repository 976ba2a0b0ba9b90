package dev.minidocker.cli.runc;

import static dev.minidocker.cli.runc.EngineFixtures.MINI_RUNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.minidocker.cli.runc.EngineFixtures.Run;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.Privileged;

/**
 * The runtime spec's MUST statements (runtime.md, config.md, config-linux.md), each checked by
 * calling ./mini-runc as an engine does and asserting what the caller got or what the process
 * inside saw.
 */
class RuntimeSpecTest {
    private Path dir;
    private Path root;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void bundle() throws Exception {
        Privileged.requireRoot();
        dir = Files.createTempDirectory("mini-runc-spec");
        root = dir.resolve("state");
        EngineFixtures.busyboxRootfs(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : ids) {
            runc("delete", "--force", id);
        }
        FileTrees.delete(dir);
    }

    private Run runc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(MINI_RUNC.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return EngineFixtures.run(Map.of(), cmd.toArray(new String[0]));
    }

    /** Writes config.json: the defaults of `mini-runc spec`, no terminal, with these args, changed by edit. */
    private void config(UnaryOperator<ContainerSpec> edit, String... args) {
        ContainerSpec s = SpecDefaults.bundleSpec();
        ContainerSpec.Process p = s.process();
        s = s.withProcess(new ContainerSpec.Process(false, null, p.user(), List.of(args), p.env(), p.cwd(), p.capabilities(),
                p.rlimits(), p.noNewPrivileges(), null, null, null));
        SpecFile.write(dir.resolve("config.json"), edit.apply(s));
    }

    private JsonObject state(String id) throws Exception {
        Run r = runc("state", id);
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    private Run runToEnd(String id) throws Exception {
        ids.add(id);
        return runc("run", "--bundle", dir.toString(), id);
    }

    @Test
    void lifecycleGoesCreatedRunningStoppedAndDeleteRemovesIt() throws Exception {
        config(s -> s, "sleep", "60");
        ids.add("life");
        Path pidFile = dir.resolve("pid");
        Run created = runc("create", "--bundle", dir.toString(), "--pid-file", pidFile.toString(), "life");
        assertEquals(0, created.code(), created.err());
        JsonObject s = state("life");
        assertEquals("created", s.get("status").getAsString());
        assertEquals(ContainerSpec.OCI_VERSION, s.get("ociVersion").getAsString());
        assertEquals(dir.toString(), s.get("bundle").getAsString());
        String pid = Files.readString(pidFile);
        assertEquals(s.get("pid").getAsString(), pid, "the pid file holds the state's pid, with no newline");
        assertTrue(Files.isDirectory(Path.of("/proc", pid)), "the container process outlives create");
        assertEquals(0, runc("start", "life").code());
        assertEquals("running", state("life").get("status").getAsString());
        Run again = runc("start", "life");
        assertNotEquals(0, again.code(), "start of a running container must fail");
        Run busy = runc("delete", "life");
        assertNotEquals(0, busy.code(), "delete of a running container without --force must fail");
        assertEquals(0, runc("kill", "life", "SIGKILL").code());
        for (int i = 0; i < 100 && !state("life").get("status").getAsString().equals("stopped"); i++) {
            Thread.sleep(100);
        }
        assertEquals("stopped", state("life").get("status").getAsString());
        assertEquals(0, runc("delete", "life").code());
        Run gone = runc("state", "life");
        assertNotEquals(0, gone.code());
        assertTrue(gone.err().contains("does not exist"), gone.err());
        assertFalse(Files.exists(root.resolve("life")), "state directory left");
    }

    @Test
    void unknownIdsAndBadBundlesAreOneLineErrors() throws Exception {
        for (String op : List.of("start", "state", "kill", "delete")) {
            Run r = runc(op, "nope");
            assertNotEquals(0, r.code(), op);
            assertEquals(1, r.err().strip().lines().count(), op + ": " + r.err());
        }
        Files.writeString(dir.resolve("config.json"), "{ not json");
        Run bad = runc("create", "--bundle", dir.toString(), "bad");
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("malformed"), bad.err());
        assertFalse(Files.exists(root.resolve("bad")), "a failed create left state behind");
        Run badId = runc("create", "--bundle", dir.toString(), "../escape");
        assertNotEquals(0, badId.code());
        assertFalse(Files.exists(dir.resolve("escape")));
    }

    @Test
    void processArgsEnvCwdUserAndHostnameAreWhatTheProcessSees() throws Exception {
        config(s -> {
            ContainerSpec.Process p = s.process();
            return new ContainerSpec(s.ociVersion(), new ContainerSpec.Process(false, null,
                    new ContainerSpec.User(1000, 1001, 022, List.of(5L, 7L)), p.args(), List.of("PATH=/bin", "GREETING=hi"),
                    "/work", p.capabilities(), p.rlimits(), p.noNewPrivileges(), null, null, null),
                    new ContainerSpec.Root("rootfs", false), "spec-host", null, s.mounts(), null, s.annotations(), s.linux());
        }, "sh", "-c", "echo \"$GREETING $(pwd) $(hostname) $(id -u):$(id -g) $(id -G)\"");
        Run r = runToEnd("proc");
        assertEquals(0, r.code(), r.err());
        assertEquals("hi /work spec-host 1000:1001 1001 5 7\n", r.out());
    }

    @Test
    void hooksRunInOrderWithTheStateOnStdin() throws Exception {
        Path log = dir.resolve("hooks.log");
        Path hook = dir.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\n# the state arrives on stdin: keep the phase name and the status\n"
                + "status=$(/bin/busybox sed -n 's/.*\"status\": *\"\\([a-z]*\\)\".*/\\1/p' | /bin/busybox head -1)\n"
                + "echo \"$1 $status\" >> " + log + "\n");
        hook.toFile().setExecutable(true);
        config(s -> new ContainerSpec(s.ociVersion(), s.process(), new ContainerSpec.Root("rootfs", false), s.hostname(), null, s.mounts(),
                new ContainerSpec.Hooks(hooks(hook, "prestart"), hooks(hook, "createRuntime"), hooks(hook, "createContainer"),
                        hooks(hook, "startContainer"), hooks(hook, "poststart"), hooks(hook, "poststop")),
                s.annotations(), s.linux()), "true");
        // startContainer runs inside the container: its path must be there too
        Files.createDirectories(dir.resolve("rootfs" + dir));
        Files.copy(hook, dir.resolve("rootfs" + hook));
        Files.createDirectories(dir.resolve("rootfs" + log.getParent()));
        Run r = runToEnd("hooks");
        assertEquals(0, r.code(), r.err());
        List<String> host = Files.readAllLines(log);
        List<String> inside = Files.readAllLines(dir.resolve("rootfs" + log));
        assertEquals(List.of("prestart creating", "createRuntime creating", "createContainer created",
                "poststart running", "poststop stopped"), host);
        assertEquals(List.of("startContainer running"), inside);
    }

    private static List<ContainerSpec.Hook> hooks(Path hook, String phase) {
        return List.of(new ContainerSpec.Hook(hook.toString(), List.of(hook.toString(), phase), List.of("PATH=/bin"), 10));
    }

    @Test
    void mountsMaskedAndReadonlyPathsAndAReadonlyRoot() throws Exception {
        config(s -> {
            List<ContainerSpec.Mount> m = new ArrayList<>(s.mounts());
            m.add(new ContainerSpec.Mount("/scratch", "tmpfs", "tmpfs", List.of("nosuid", "size=1m", "mode=1777")));
            m.add(new ContainerSpec.Mount("/host-ro", "bind", dir.resolve("shared").toString(), List.of("rbind", "ro")));
            return new ContainerSpec(s.ociVersion(), s.process(), new ContainerSpec.Root("rootfs", true), s.hostname(), null,
                    m, null, s.annotations(), s.linux());
        }, "sh", "-c", "echo x > /scratch/f && cat /scratch/f; cat /host-ro/file; echo y > /host-ro/file || echo ro-bind;"
                + " touch /newfile || echo ro-root; cat /proc/kcore | wc -c; echo 1 > /proc/sys/kernel/domainname || echo ro-proc-sys");
        Files.createDirectories(dir.resolve("shared"));
        Files.writeString(dir.resolve("shared/file"), "from-host\n");
        Run r = runToEnd("mounts");
        assertEquals(0, r.code(), r.err());
        assertEquals("x\nfrom-host\nro-bind\nro-root\n0\nro-proc-sys\n", r.out());
        assertEquals("from-host\n", Files.readString(dir.resolve("shared/file")));
    }

    @Test
    void rlimitsOomScoreAdjAndSysctlApply() throws Exception {
        config(s -> {
            ContainerSpec.Process p = s.process();
            ContainerSpec.Linux l = s.linux();
            return new ContainerSpec(s.ociVersion(), new ContainerSpec.Process(false, null, p.user(), p.args(), p.env(), p.cwd(),
                    p.capabilities(), List.of(new ContainerSpec.Rlimit("RLIMIT_NOFILE", 900, 800)), p.noNewPrivileges(), null, 123, null),
                    s.root(), s.hostname(), null, s.mounts(), null, s.annotations(),
                    new ContainerSpec.Linux(l.namespaces(), null, null, null, null, null, Map.of("net.ipv4.ip_forward", "1"), null, null,
                            l.maskedPaths(), List.of(), null, null));
        }, "sh", "-c", "ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj; cat /proc/sys/net/ipv4/ip_forward");
        String hostForward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
        Run r = runToEnd("limits");
        assertEquals(0, r.code(), r.err());
        assertEquals("800\n900\n123\n1\n", r.out());
        assertEquals(hostForward, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")), "the host's sysctl changed");
    }

    @Test
    void aNamespaceGivenByPathIsJoined() throws Exception {
        config(s -> s, "sleep", "30");
        ids.add("first");
        assertEquals(0, runc("run", "-d", "--bundle", dir.toString(), "first").code());
        String pid = state("first").get("pid").getAsString();
        String theirs = Files.readSymbolicLink(Path.of("/proc", pid, "ns/net")).toString();
        config(s -> {
            List<ContainerSpec.Namespace> ns = new ArrayList<>();
            for (ContainerSpec.Namespace n : s.linux().namespaces()) {
                ns.add(n.type().equals("network") ? new ContainerSpec.Namespace("network", "/proc/" + pid + "/ns/net") : n);
            }
            ContainerSpec.Linux l = s.linux();
            return s.withLinux(new ContainerSpec.Linux(ns, null, null, null, null, l.resources(), null, null, null,
                    l.maskedPaths(), l.readonlyPaths(), null, null));
        }, "readlink", "/proc/self/ns/net");
        Run r = runToEnd("second");
        assertEquals(0, r.code(), r.err());
        assertEquals(theirs + "\n", r.out());
    }

    @Test
    void errorsGoToTheLogAsJsonLinesForEngines() throws Exception {
        Path log = dir.resolve("runtime.log");
        Run r = runc("--log", log.toString(), "--log-format", "json", "start", "nope");
        assertNotEquals(0, r.code());
        JsonObject line = JsonParser.parseString(Files.readAllLines(log).get(0)).getAsJsonObject();
        assertEquals("error", line.get("level").getAsString());
        assertTrue(line.get("msg").getAsString().contains("\"nope\" does not exist"), line.toString());
        assertTrue(line.has("time"), line.toString());
    }

    @Test
    void preservedDescriptorsReachTheContainer() throws Exception {
        config(s -> s, "sh", "-c", "cat <&3; readlink /proc/self/fd/3");
        Files.writeString(dir.resolve("message"), "through fd 3\n");
        ids.add("fds");
        // as systemd's socket activation or conmon pass them: already open at 3 when the runtime starts
        Run r = EngineFixtures.run(Map.of(), "bash", "-c", "exec 3<" + dir.resolve("message") + "; exec " + MINI_RUNC
                + " --root " + root + " run --preserve-fds 1 --bundle " + dir + " fds");
        assertEquals(0, r.code(), r.err());
        // fd 3 is the file the caller opened (its path, seen from the host's mount namespace, is not in the container)
        assertEquals("through fd 3\n" + dir.resolve("message") + "\n", r.out());
    }

    @Test
    void specAndFeaturesDescribeThisRuntime() throws Exception {
        Path b = dir.resolve("fresh");
        Files.createDirectories(b);
        assertEquals(0, runc("spec", "--bundle", b.toString()).code());
        ContainerSpec s = SpecFile.read(b.resolve("config.json"), ContainerSpec.class);
        assertEquals(List.of("sh"), s.process().args());
        assertEquals("rootfs", s.root().path());
        assertNotEquals(0, runc("spec", "--bundle", b.toString()).code(), "spec must not overwrite a config.json");
        JsonObject f = JsonParser.parseString(runc("features").out()).getAsJsonObject();
        assertEquals(ContainerSpec.OCI_VERSION, f.get("ociVersionMax").getAsString());
        assertTrue(new Gson().toJson(f.get("hooks")).contains("createContainer"));
    }
}
