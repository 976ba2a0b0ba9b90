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
 * containerd's runc shim (io.containerd.runc.v2) drives ./mini-runc: `ctr run --runc-binary` of an
 * imported image, with a containerd of the test's own (root, state and socket in a temp dir).
 */
class ContainerdDrivesMiniRuncTest {
    private static Path dir;
    private static Process containerd;
    private static Path socket;

    @BeforeAll
    static void startContainerdAndImport() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/containerd")) && Files.isExecutable(Path.of("/usr/bin/ctr")),
                "containerd is not installed (apt-get install containerd)");
        dir = Files.createTempDirectory("mini-containerd");
        socket = dir.resolve("containerd.sock");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, "version = 2\nroot = \"" + dir.resolve("root") + "\"\nstate = \"" + dir.resolve("state")
                + "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n[grpc]\n  address = \"" + socket
                + "\"\n[ttrpc]\n  address = \"" + socket + ".ttrpc\"\n[debug]\n  address = \"\"\n[metrics]\n  address = \"\"\n");
        Path log = dir.resolve("containerd.log");
        containerd = new ProcessBuilder("containerd", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        EngineFixtures.awaitSocket(socket, containerd, log);
        Path layout = EngineFixtures.ociLayout(dir);
        Path archive = dir.resolve("bb.tar");
        run(Map.of(), "tar", "-C", layout.toString(), "-cf", archive.toString(), ".");
        Run imported = ctr("images", "import", "--base-name", "localhost/bb", archive.toString());
        assertEquals(0, imported.code(), imported.err());
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        EngineFixtures.stop(containerd);
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }

    static Run ctr(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
        cmd.addAll(List.of(args));
        return run(Map.of(), cmd.toArray(new String[0]));
    }

    @Test
    void ctrRunShowsWhatTheProcessInsideSaw() throws Exception {
        Run r = ctr("run", "--rm", "--runc-binary", MINI_RUNC.toString(), "localhost/bb:bb", "c-out",
                "sh", "-c", "echo pid=$$ uid=$(id -u); ls /");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("pid=1 uid=0", lines.get(0));
        // the image's root, not the host's: busybox's bin is there, the host's /usr and /work are not
        assertTrue(lines.contains("bin") && !lines.contains("usr") && !lines.contains("work"), r.out());
    }

    @Test
    void ctrRunGivesTheExitCodeAndLeavesNothing() throws Exception {
        Run r = ctr("run", "--rm", "--runc-binary", MINI_RUNC.toString(), "localhost/bb:bb", "c-exit", "sh", "-c", "exit 7");
        assertEquals(7, r.code(), r.err());
        Run list = ctr("containers", "list", "-q");
        assertFalse(list.out().contains("c-exit"), list.out());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains("c-exit"), "a mount of c-exit was left");
    }
}
