package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;

/**
 * Runs one container to completion and captures what it printed: for chapter demos, the
 * book's transcripts and tests. Public fields are the knobs, with the defaults of {@code mini run}.
 */
public final class OneShot {
    public List<String> args;
    public String hostname = "box";
    public List<Namespace> namespaces = List.copyOf(Namespaces.CONTAINER);
    public Isolation isolation = Isolation.PIVOT_ROOT;
    public String cwd = "/";
    public List<String> env = new ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root"));
    /** A plain directory to use as the root instead of the image's layers. */
    public Path rootDirectory;

    private final ContainerRuntime runtime;
    private final Image image;

    /** What a container did: its exit code and what it wrote. */
    public record Outcome(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            List<String> l = new ArrayList<>();
            for (String s : stdout.split("\n")) {
                if (!s.isEmpty()) l.add(s);
            }
            return l;
        }
    }

    public OneShot(ContainerRuntime runtime, Image image, List<String> args) {
        this.runtime = runtime;
        this.image = image;
        this.args = args;
    }

    public Outcome run() {
        return run((c, out) -> { });
    }

    /** Runs it; whileRunning gets the started container and the file its stdout goes to. */
    public Outcome run(BiConsumer<Container, Path> whileRunning) {
        Path out;
        Path err;
        try {
            out = Files.createTempFile("mini-out", ".txt");
            err = Files.createTempFile("mini-err", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ContainerConfig config = new ContainerConfig(null, image.reference(),
                    rootDirectory == null ? image.layerDirs() : List.of(), rootDirectory,
                    new ContainerSpec.ProcessSpec(args, env, cwd), hostname, namespaces, isolation, true);
            Container c = runtime.create(config, Stdio.toFiles(out, err));
            int code;
            try {
                c.start();
                whileRunning.accept(c, out);
                code = c.await();
            } catch (ContainerException e) {
                c.await();
                code = e.exitCode();
                Files.writeString(err, e.getMessage(), StandardOpenOption.APPEND);
            }
            runtime.finish(c, code);
            return new Outcome(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.toFile().delete();
            err.toFile().delete();
        }
    }
}
