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
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.Native;

/**
 * A JVM spends most of a short run loading and verifying classes. The launcher runs this
 * once after each build with -XX:ArchiveClassesAtExit, so later JVMs map the classes ready-made
 * (class data sharing, JEP 350). It touches what a real run touches and changes nothing.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    /** The launcher's training run of the init stage's JVM (the CLI's is {@code mini __train-class-data}). */
    public static void main(String[] args) {
        initStage();
    }

    /** The init stage's classes: the spec file, the bindings, the mount and exec path. */
    public static void initStage() {
        Native.warmUp();
        try {
            Path dir = Files.createTempDirectory("mini-cds");
            try {
                Path config = dir.resolve("init.json");
                SpecFile.write(config, sample());
                SpecFile.read(config, InitConfig.class);
            } finally {
                Containers.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InitStage.loadWhatIsNeededAfterPivotRoot();
        RootFilesystem.overlayOptions(List.of(Path.of("/a")), Path.of("/u"), Path.of("/w"));
        for (Class<?> c : List.of(MountPropagation.class, RootFilesystem.class, KernelFilesystems.class, DevFs.class,
                Loopback.class, PivotRoot.class, Chroot.class, Namespace.class, Isolation.class, dev.minidocker.container.fs.SpecMounts.class,
                dev.minidocker.container.fs.MountOptions.class, dev.minidocker.container.fs.MaskedPaths.class, Identity.class, Devices.class)) {
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
                SpecFile.write(bundle.resolve("config.json"), sample().spec());
                SpecFile.read(bundle.resolve("config.json"), ContainerSpec.class);
                containers.save(new ContainerState("0".repeat(64), "train", ContainerState.STOPPED, 0, bundle.toString(),
                        "2026-01-01T00:00:00Z", "busybox:latest", "true", 0, 0, true));
                containers.list();
                containers.find("train");
                InitProcess.initCommand(3, 4, 1);
                Containers.newId();
            } finally {
                Containers.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Class<?> c : List.of(ContainerRuntime.class, Container.class, InitProcess.class, InitPipes.class,
                ContainerException.class, Stdio.class, ExitStatus.class, RuntimeState.class, StateStore.class, Status.class,
                ProcStat.class, NamespaceJoin.class, SpecCheck.class, Hooks.class)) {
            load(c);
        }
    }

    private static InitConfig sample() {
        ContainerSpec spec = SpecDefaults.bundleSpec();
        return new InitConfig("0".repeat(64), "/b", spec, "/r", 1, "/f", null, List.of("/c"), false, 0, List.of());
    }

    private static void load(Class<?> c) {
        try {
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
