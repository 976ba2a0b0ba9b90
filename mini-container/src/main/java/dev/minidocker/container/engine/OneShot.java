package dev.minidocker.container.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BiConsumer;

import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.security.SecurityOptions;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.spec.SpecDefaults;

/**
 * Runs one container to completion and captures what it printed: for chapter demos, the
 * book's transcripts and tests. Public fields are the knobs, with the defaults of {@code mini run};
 * it goes through the same {@link ForegroundRun} as {@code mini run}.
 */
public final class OneShot {
    public List<String> args;
    public String hostname = "box";
    public List<Namespace> namespaces = List.copyOf(Namespaces.CONTAINER);
    public Isolation isolation = Isolation.PIVOT_ROOT;
    public String cwd = "/";
    public List<String> env = new ArrayList<>(List.of("PATH=" + SpecDefaults.PATH, "HOME=/root"));
    /** A plain directory to use as the root instead of the image's layers. */
    public Path rootDirectory;
    public Limits limits = Limits.none();
    /** "v1" or "v2" as mini run's --cgroup-driver; null for the host's own mode. */
    public String cgroupDriver;
    /**
     * Capabilities, seccomp, masked paths, devices, user: {@code mini run} always passes its flags'
     * options (docker's defaults when none are given); null here gives none of them, which the
     * chapters before the security chapter rely on (a mount inside, in chapter 4) and compare with.
     */
    public SecurityOptions security;
    /** A user namespace of its own with this mapping ({@code --userns=private}); null: the host's. */
    public dev.minidocker.container.ns.SubordinateIds.Mapping userNamespace;
    /** The engine's step before create (mounts, network); NONE: loopback only. */
    public NetworkSetup setup = NetworkSetup.NONE;

    private final Path miniRoot;
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

    public OneShot(Path miniRoot, Image image, List<String> args) {
        this.miniRoot = miniRoot;
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
            RunRequest request = new RunRequest(null, image.reference(),
                    rootDirectory == null ? image.layerDirs() : List.of(), rootDirectory, args, env, cwd, hostname,
                    namespaces.isEmpty() ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(namespaces), isolation, limits,
                    cgroupDriver, true, null, security);
            int code;
            ForegroundRun run;
            try {
                run = ForegroundRun.create(miniRoot, request, Stdio.toFiles(out, err),
                        userNamespace == null ? setup : UserNamespaceSetup.around(setup, userNamespace));
            } catch (ContainerException e) {
                Files.writeString(err, e.getMessage(), StandardOpenOption.APPEND);
                return new Outcome(e.exitCode(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            }
            try {
                run.start();
                whileRunning.accept(run.container(), out);
                code = run.await();
            } catch (ContainerException e) {
                run.container().kill(9);
                run.await();
                code = e.exitCode();
                Files.writeString(err, e.getMessage(), StandardOpenOption.APPEND);
            }
            run.finish(code);
            return new Outcome(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.toFile().delete();
            err.toFile().delete();
        }
    }
}
