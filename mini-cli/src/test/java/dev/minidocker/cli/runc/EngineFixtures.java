package dev.minidocker.cli.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the engine tests share: ./mini-runc's path, a busybox image as an OCI archive and a
 * docker archive (made offline with umoci and skopeo), and running a command to completion.
 */
final class EngineFixtures {
    static final Path PROJECT = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", "..")).toAbsolutePath().normalize();
    static final Path MINI_RUNC = PROJECT.resolve("mini-runc");

    record Run(int code, String out, String err) {
    }

    private EngineFixtures() {
    }

    /** A root with a static busybox and a few applets. */
    static Path busyboxRootfs(Path dir) throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : List.of("sh", "echo", "cat", "hostname", "ps", "sleep", "ls", "id", "grep", "mount", "true",
                "readlink", "sed", "head", "wc", "touch", "mkdir", "tty", "stty", "sort", "tr")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        return rootfs;
    }

    /** The busybox root as an OCI image layout at dir/layout, tag "bb" (umoci). */
    static Path ociLayout(Path dir) throws Exception {
        Path layout = dir.resolve("layout");
        Path bundle = dir.resolve("umoci-bundle");
        run(Map.of(), "umoci", "init", "--layout", layout.toString());
        run(Map.of(), "umoci", "new", "--image", layout + ":bb");
        run(Map.of(), "umoci", "unpack", "--image", layout + ":bb", bundle.toString());
        Path rootfs = busyboxRootfs(dir);
        run(Map.of(), "cp", "-a", rootfs + "/.", bundle.resolve("rootfs").toString());
        run(Map.of(), "umoci", "repack", "--image", layout + ":bb", bundle.toString());
        return layout;
    }

    static Run run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MINI_NO_BUILD", "1");
        pb.environment().putAll(env);
        // files, not pipes: a container made by `create` keeps its stdio open long after the command
        // returns, so reading a pipe to its end would wait for the container
        Path out = Files.createTempFile("engine-out", ".txt");
        Path err = Files.createTempFile("engine-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        Run r = new Run(ended ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        assertTrue(ended, String.join(" ", cmd) + " did not finish: " + r.err());
        if (cmd[0].equals("umoci") || cmd[0].equals("cp") || cmd[0].equals("skopeo")) {
            assertEquals(0, r.code(), String.join(" ", cmd) + ": " + r.err());
        }
        return r;
    }

    /** Waits until a daemon's socket exists. */
    static void awaitSocket(Path socket, Process daemon, Path log) throws Exception {
        for (int i = 0; i < 600 && !Files.exists(socket); i++) {
            if (!daemon.isAlive()) {
                throw new AssertionError("the daemon exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        assertTrue(Files.exists(socket), "no socket " + socket + ": " + Files.readString(log));
    }

    /** Stops a daemon we started: SIGTERM, then SIGKILL; and its children (a dockerd's containerd). */
    static void stop(Process daemon) throws InterruptedException {
        if (daemon == null) {
            return;
        }
        List<ProcessHandle> children = daemon.descendants().toList();
        daemon.destroy();
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle c : children) {
            c.destroy();
        }
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                c.destroyForcibly();
            }
        }
    }
}
