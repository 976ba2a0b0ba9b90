package dev.minidocker.container.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;

import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.engine.RunRequest;
import dev.minidocker.container.engine.SpecBuilder;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.container.testing.TestContainers;

/**
 * Runs busybox containers through the runtime with the security part of the spec set field by
 * field (docker's defaults unless a test changes one): the spec mini run would write, adjusted,
 * then create, start, wait and delete.
 */
final class SecureContainers {
    List<String> bounding = SpecDefaults.CAPABILITIES;
    List<String> effective = SpecDefaults.CAPABILITIES;
    List<String> ambient = List.of();
    boolean seccomp = true;
    Boolean noNewPrivileges;
    ContainerSpec.User user;
    List<String> masked = SpecDefaults.MASKED_PATHS;
    List<String> readonly = SpecDefaults.READONLY_PATHS;
    /** false: no security part at all, as containers were before (every capability, no filter). */
    boolean secure = true;
    /** cgroup limits. */
    Limits limits = Limits.none();
    /** linux.resources.devices, or null for none. */
    List<ContainerSpec.DeviceRule> devices;

    ContainerSpec adjust(ContainerSpec spec) {
        if (!secure) {
            return spec;
        }
        ContainerSpec.Process p = spec.process();
        ContainerSpec.Capabilities caps = new ContainerSpec.Capabilities(bounding, effective, effective, effective, ambient);
        ContainerSpec.Process process = new ContainerSpec.Process(p.terminal(), p.consoleSize(), user != null ? user : p.user(),
                p.args(), p.env(), p.cwd(), caps, p.rlimits(), noNewPrivileges, null, null, null);
        ContainerSpec.Linux l = spec.linux();
        ContainerSpec.Resources r = l.resources() != null ? l.resources() : new ContainerSpec.Resources(null, null, null, null, null, null);
        ContainerSpec.Linux linux = new ContainerSpec.Linux(l.namespaces(), null, null, null, l.cgroupsPath(),
                new ContainerSpec.Resources(devices, r.memory(), r.cpu(), r.pids(), r.blockIO(), r.unified()), null,
                seccomp ? DefaultSeccompProfile.forCapabilities(bounding) : null, null, masked, readonly, null, null);
        return spec.withProcess(process).withLinux(linux);
    }

    OneShot.Outcome run(String... args) {
        Image image = TestContainers.busybox();
        Path miniRoot = TestContainers.root();
        String id = Containers.newId();
        Path bundle = miniRoot.resolve("secure-bundles").resolve(id);
        Path out = bundle.resolve("stdout");
        Path err = bundle.resolve("stderr");
        ContainerRuntime runtime = new ContainerRuntime(ForegroundRun.runtimeRoot(miniRoot));
        try {
            for (String d : new String[] {"rootfs", "upper", "work"}) {
                Files.createDirectories(bundle.resolve(d));
            }
            Files.createFile(out);
            Files.createFile(err);
            RunRequest request = new RunRequest(null, image.reference(), image.layerDirs(), null, List.of(args),
                    List.of("PATH=" + SpecDefaults.PATH, "HOME=/root"), "/", "secure", EnumSet.copyOf(Namespaces.CONTAINER),
                    Isolation.PIVOT_ROOT, limits, null, true, null, null);
            SpecFile.write(bundle.resolve("config.json"), adjust(SpecBuilder.build(request, id, bundle)));
            int code;
            Container c = null;
            try {
                c = runtime.create(id, bundle, ContainerRuntime.CreateOptions.foreground(Stdio.toFiles(out, err)));
                runtime.start(id);
                c.awaitExec();
                code = c.await();
            } catch (ContainerException e) {
                if (c != null) {
                    c.kill(9);
                    c.await();
                }
                code = e.exitCode();
                Files.writeString(err, e.getMessage(), StandardOpenOption.APPEND);
            } finally {
                if (c != null) {
                    runtime.delete(id, true);
                }
            }
            return new OneShot.Outcome(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                FileTrees.delete(bundle);
            } catch (IOException e) {
                System.err.println("cannot remove " + bundle + ": " + e.getMessage());
            }
        }
    }
}
