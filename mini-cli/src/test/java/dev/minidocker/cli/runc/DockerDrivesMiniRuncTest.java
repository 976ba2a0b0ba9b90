package dev.minidocker.cli.runc;

import static dev.minidocker.cli.runc.EngineFixtures.MINI_RUNC;
import static dev.minidocker.cli.runc.EngineFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.cli.runc.EngineFixtures.Run;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Privileged;

/**
 * Docker Engine drives ./mini-runc: a dockerd of the test's own (data root, exec root, pid file and
 * socket in a temp dir; no iptables, no bridge) with {@code --add-runtime mini=./mini-runc}, and
 * {@code docker run --runtime mini}, exec and stop.
 */
class DockerDrivesMiniRuncTest {
    private static Path dir;
    private static Process dockerd;
    private static Path socket;

    @BeforeAll
    static void startDockerdAndLoad() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/sbin/dockerd")), "dockerd is not installed (apt-get install docker.io)");
        dir = Files.createTempDirectory("mini-dockerd");
        socket = dir.resolve("docker.sock");
        Path log = dir.resolve("dockerd.log");
        dockerd = new ProcessBuilder("dockerd", "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString(),
                "-H", "unix://" + socket, "--iptables=false", "--ip6tables=false", "--bridge=none",
                "--exec-opt", "native.cgroupdriver=cgroupfs", "--add-runtime", "mini=" + MINI_RUNC)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EngineFixtures.awaitSocket(socket, dockerd, log);
        Path layout = EngineFixtures.ociLayout(dir);
        Path archive = dir.resolve("bb-docker.tar");
        run(Map.of(), "skopeo", "copy", "-q", "oci:" + layout + ":bb", "docker-archive:" + archive + ":localhost/bb:latest");
        Run loaded = docker("load", "-i", archive.toString());
        assertEquals(0, loaded.code(), loaded.err());
    }

    @AfterAll
    static void stopDockerd() throws Exception {
        if (dockerd != null) {
            docker("rm", "-f", "dd");
        }
        EngineFixtures.stop(dockerd);
        if (dir != null) {
            run(Map.of(), "umount", "-R", dir.resolve("data").toString()); // dockerd may leave its own mounts
            FileTrees.delete(dir);
        }
    }

    static Run docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return run(Map.of(), cmd.toArray(new String[0]));
    }

    @Test
    void dockerRunShowsWhatTheProcessInsideSaw() throws Exception {
        Run r = docker("run", "--runtime", "mini", "--rm", "--network", "none", "--hostname", "dockbox", "localhost/bb",
                "sh", "-c", "echo \"$(hostname) pid=$$\"; exit 9");
        assertEquals(9, r.code(), r.err());
        assertEquals("dockbox pid=1\n", r.out());
    }

    @Test
    void dockersOwnSecurityDefaultsHoldUnderMiniRunc() throws Exception {
        // dockerd writes its 14 capabilities, its seccomp profile and its masked paths into config.json
        Run r = docker("run", "--runtime", "mini", "--rm", "--network", "none", "localhost/bb", "sh", "-c",
                "grep -E '^(CapEff|Seccomp):' /proc/self/status | tr -d '\\t' | tr '\\n' ' '; wc -c < /proc/timer_list;"
                        + " unshare -U true 2>/dev/null; echo unshare=$?");
        assertEquals("CapEff:00000000a80425fb Seccomp:2 0\nunshare=1\n", r.out(), r.err());
    }

    @Test
    void dockerExecAndStopWorkOnADetachedContainer() throws Exception {
        Run started = docker("run", "--runtime", "mini", "-d", "--name", "dd", "--network", "none", "localhost/bb",
                "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done");
        assertEquals(0, started.code(), started.err());
        String id = started.out().trim();
        Run exec = docker("exec", "dd", "sh", "-c", "echo exec-pid=$$; cat /proc/1/comm; exit 6");
        assertEquals(6, exec.code(), exec.err());
        assertTrue(exec.out().matches("exec-pid=[0-9]+\nsh\n"), exec.out());
        Run stop = docker("stop", "-t", "5", "dd");
        assertEquals(0, stop.code(), stop.err());
        assertEquals("0\n", docker("inspect", "-f", "{{.State.ExitCode}}", "dd").out());
        assertEquals(0, docker("rm", "dd").code());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(id), "a mount of " + id + " was left");
    }
}
