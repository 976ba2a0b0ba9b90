package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.fs.Chroot;
import dev.minidocker.container.fs.DevFs;
import dev.minidocker.container.fs.KernelFilesystems;
import dev.minidocker.container.fs.MountPropagation;
import dev.minidocker.container.fs.PivotRoot;
import dev.minidocker.container.fs.RootFilesystem;
import dev.minidocker.container.ns.Loopback;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.sys.Native;

/**
 * A JVM spends most of a short run loading and verifying classes. The launcher runs this
 * once after each build with -XX:ArchiveClassesAtExit, so later JVMs map the classes ready-made
 * (class data sharing, JEP 350). It touches what a real run touches and changes nothing.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    /** The init stage's classes: the spec file, the bindings, the mount and exec path. */
    public static void initStage() {
        Native.warmUp();
        try {
            Path dir = Files.createTempDirectory("mini-cds");
            try {
                Path config = dir.resolve("config.json");
                SpecFile.write(config, sample());
                SpecFile.read(config, ContainerSpec.class);
            } finally {
                Containers.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InitStage.loadWhatIsNeededAfterPivotRoot();
        RootFilesystem.overlayOptions(List.of(Path.of("/a")), Path.of("/u"), Path.of("/w"));
        for (Class<?> c : List.of(MountPropagation.class, RootFilesystem.class, KernelFilesystems.class, DevFs.class,
                Loopback.class, PivotRoot.class, Chroot.class, Namespace.class, Namespaces.class, Isolation.class)) {
            load(c);
        }
    }

    /** The runtime's classes for {@code mini run}, short of creating a container. */
    public static void runtime() {
        Native.warmUp();
        try {
            Path dir = Files.createTempDirectory("mini-cds");
            try {
                Containers containers = new Containers(dir);
                Path bundle = Files.createDirectories(containers.bundle("0".repeat(64)));
                SpecFile.write(bundle.resolve("config.json"), sample());
                containers.save(new ContainerState("0".repeat(64), "train", ContainerState.STOPPED, 0, bundle.toString(),
                        "2026-01-01T00:00:00Z", "busybox:latest", "true", 0, 0, true));
                containers.list();
                containers.find("train");
                InitProcess.initCommand(bundle.resolve("config.json"));
                Containers.newId();
            } finally {
                Containers.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Class<?> c : List.of(ContainerRuntime.class, Container.class, InitProcess.class, InitPipes.class,
                ContainerException.class, Stdio.class, ContainerConfig.class, ExitStatus.class)) {
            load(c);
        }
    }

    private static ContainerSpec sample() {
        return new ContainerSpec("0".repeat(64), "train",
                new ContainerSpec.ProcessSpec(List.of("true"), List.of("PATH=/bin"), "/"),
                new ContainerSpec.RootSpec("/r", List.of("/l"), "/u", "/w"), "train",
                List.copyOf(Namespaces.CONTAINER), Isolation.PIVOT_ROOT);
    }

    private static void load(Class<?> c) {
        try {
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
