package dev.minidocker.ch12;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls ./mini-runc the way an engine does: one process per operation, each with the runtime
 * root it shares with the others. The demo shows the command lines it runs.
 */
final class Runc {
    private final Path root;
    private final Path launcher;

    Runc(Path root) {
        this.root = root;
        this.launcher = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", ".")).toAbsolutePath().resolve("mini-runc");
    }

    record Result(int code, String out, String err) {
    }

    /** What an engine would type (with the root left out). */
    static String shown(String... args) {
        return "mini-runc " + String.join(" ", args);
    }

    /** Runs mini-runc; the container's own output (it inherits stdout) goes to containerOut. */
    Result call(Path containerOut, String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("MINI_NO_BUILD", "1");
            Path err = Files.createTempFile("runc-err", ".txt");
            pb.redirectOutput(containerOut.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            int code = p.waitFor();
            String e = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(err);
            return new Result(code, Files.readString(containerOut, StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
