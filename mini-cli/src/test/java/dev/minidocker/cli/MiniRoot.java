package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.minidocker.container.fs.FileTrees;

/**
 * A store of a test's own (MINI_ROOT, MINI_RUN_ROOT in a temporary directory) and ./mini run
 * against it as a user types it: stdin from /dev/null, stdout and stderr to files (a pipe could
 * be held open by a monitor), offline by default.
 */
final class MiniRoot implements AutoCloseable {
    static final Path PROJECT = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", "..")).toAbsolutePath().normalize();

    record Run(int code, String out, String err) {
    }

    final Path dir;

    MiniRoot(String prefix) throws IOException {
        dir = Files.createTempDirectory(prefix);
    }

    /** The environment that points ./mini at this store. */
    ProcessBuilder env(ProcessBuilder pb) {
        pb.directory(PROJECT.toFile());
        pb.environment().put("MINI_ROOT", dir.toString());
        pb.environment().put("MINI_RUN_ROOT", dir.resolve("run").toString());
        pb.environment().put("MINI_NO_BUILD", "1");
        pb.environment().put("MINI_DEFAULT_NETWORK", "none");
        return pb;
    }

    ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(PROJECT.resolve("mini").toString()));
        cmd.addAll(List.of(args));
        return env(new ProcessBuilder(cmd));
    }

    Run mini(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = command(args).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "mini " + String.join(" ", args) + " did not finish");
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** rm -f of every container, then the directory (a monitor's exit command may still be writing there). */
    @Override
    public void close() throws Exception {
        for (String id : mini("ps", "-a", "-q").out().split("\n")) {
            if (!id.isBlank()) {
                mini("rm", "-f", id.trim());
            }
        }
        for (int i = 0; i < 100 && Files.exists(dir); i++) {
            try {
                FileTrees.delete(dir);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
    }
}
