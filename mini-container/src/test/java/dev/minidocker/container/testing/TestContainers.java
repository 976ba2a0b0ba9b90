package dev.minidocker.container.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.minidocker.container.image.DefaultImages;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerConfig;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ContainerSpec;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.sys.Privileged;

/**
 * Runs real containers from the default busybox image for tests, capturing what the process
 * inside printed. All test JVMs share one store (made once) under the system temp directory.
 */
public final class TestContainers {
    private static Image busybox;

    private TestContainers() {
    }

    /** What a container did: its exit code and what it wrote. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            List<String> l = new ArrayList<>();
            for (String s : stdout.split("\n")) {
                if (!s.isEmpty()) l.add(s);
            }
            return l;
        }
    }

    public static Path root() {
        return Path.of(System.getProperty("java.io.tmpdir"), "mini-docker-test-root");
    }

    public static synchronized Image busybox() {
        Privileged.requireRoot();
        if (busybox == null) {
            busybox = DefaultImages.ensureBusybox(ImageStore.open(root()), new PrintStream(PrintStream.nullOutputStream()));
        }
        return busybox;
    }

    public static ContainerRuntime runtime() {
        return new ContainerRuntime(new Containers(root()));
    }

    /** Runs args in a busybox container with the default namespaces and pivot_root. */
    public static Result run(String... args) {
        return run(b -> { }, args);
    }

    /** Runs args; whileRunning gets the container once the command has started, and its stdout file. */
    public static Result runWhile(BiConsumer<Container, Path> whileRunning, String... args) {
        return new Builder(List.of(args)).run(whileRunning);
    }

    /** Runs args with a customised configuration. */
    public static Result run(Consumer<Builder> customise, String... args) {
        Builder b = new Builder(List.of(args));
        customise.accept(b);
        return b.run((c, out) -> { });
    }

    /** Waits (up to 20 s) until the file contains text: the container says it is ready. */
    public static void awaitOutput(Path file, String text) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        try {
            while (!Files.readString(file).contains(text)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the container never printed \"" + text + "\"");
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A container's configuration with test-friendly defaults. */
    public static final class Builder {
        public List<String> args;
        public String hostname = "testbox";
        public List<Namespace> namespaces = List.copyOf(Namespaces.CONTAINER);
        public Isolation isolation = Isolation.PIVOT_ROOT;
        public String cwd = "/";
        public List<String> env = new ArrayList<>(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"));
        public Path rootDirectory;

        Builder(List<String> args) {
            this.args = args;
        }

        /** Runs it; whileRunning sees the started container (e.g. to signal it). */
        public Result run(BiConsumer<Container, Path> whileRunning) {
            Image image = busybox();
            ContainerRuntime runtime = runtime();
            Path out;
            Path err;
            try {
                out = Files.createTempFile("mini-test-out", ".txt");
                err = Files.createTempFile("mini-test-err", ".txt");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
                try {
                    Files.writeString(err, e.getMessage(), java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            }
            runtime.finish(c, code);
            try {
                return new Result(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                out.toFile().delete();
                err.toFile().delete();
            }
        }
    }
}
