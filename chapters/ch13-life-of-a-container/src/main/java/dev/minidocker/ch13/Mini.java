package dev.minidocker.ch13;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ./mini as a user types it, against a store of the demo's own (MINI_ROOT in a temporary
 * directory), offline: the detached container must outlive each of these commands.
 */
final class Mini {
    record Result(int code, String out, String err) {
    }

    private final Path store;

    Mini(Path store) {
        this.store = store;
    }

    /** The command as the narration shows it. */
    static String shown(String... args) {
        return "mini " + String.join(" ", args);
    }

    Result call(String... args) throws IOException, InterruptedException {
        Path project = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", ".")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(project.resolve("mini").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        pb.environment().put("MINI_ROOT", store.toString());
        pb.environment().put("MINI_RUN_ROOT", store.resolve("run").toString());
        pb.environment().put("MINI_NO_BUILD", "1");
        pb.environment().put("MINI_DEFAULT_NETWORK", "none");
        Path out = Files.createTempFile(store, "out", ".txt"); // files: a monitor must not hold our pipes
        Path err = Files.createTempFile(store, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        Result r = new Result(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** The same, failing the demo with mini's own message if it failed. */
    String ok(String... args) throws IOException, InterruptedException {
        Result r = call(args);
        if (r.code() != 0) {
            throw new IllegalStateException(shown(args) + " failed (" + r.code() + "): " + r.err().strip());
        }
        return r.out();
    }
}
