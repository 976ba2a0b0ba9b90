package dev.minidocker.container.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.cgroup.ContainerCgroup;
import dev.minidocker.container.cgroup.DevicesController;
import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerConfig;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.InitStage;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.runtime.OneShot;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.container.testing.TestContainers;

/**
 * Runs busybox containers with the security part of an OCI spec: docker's defaults unless a test
 * changes them (the knobs are the fields, as in OneShot).
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
    /** false: no security part at all, the runtime as it was (every capability, no filter). */
    boolean secure = true;
    /** cgroup limits, or null for no cgroup. */
    Limits limits;
    /** devices controller rules for the cgroup (v1), or null for none. */
    List<ContainerSpec.DeviceRule> devices;

    ContainerSpec security(List<String> args) {
        ContainerSpec.Capabilities caps = new ContainerSpec.Capabilities(bounding, effective, effective, effective, ambient);
        ContainerSpec.Process p = new ContainerSpec.Process(false, null, user, args, List.of("PATH=" + SpecDefaults.PATH), "/",
                caps, null, noNewPrivileges, null, null, null);
        ContainerSpec.Linux l = new ContainerSpec.Linux(null, null, null, null, null, null, null,
                seccomp ? DefaultSeccompProfile.forCapabilities(bounding) : null, null, masked, readonly, null, null);
        return new ContainerSpec(ContainerSpec.OCI_VERSION, p, null, null, null, null, null, null, l);
    }

    OneShot.Outcome run(String... args) {
        Image image = TestContainers.busybox();
        ContainerRuntime runtime = TestContainers.runtime();
        ContainerConfig config = new ContainerConfig(null, image.reference(), image.layerDirs(), null,
                new dev.minidocker.container.runtime.ContainerSpec.ProcessSpec(List.of(args),
                        List.of("PATH=" + SpecDefaults.PATH, "HOME=/root"), "/"),
                "secure", List.copyOf(Namespaces.CONTAINER), Isolation.PIVOT_ROOT, true);
        Path out = temp();
        Path err = temp();
        try {
            Container c = runtime.create(config, Stdio.toFiles(out, err));
            if (secure) {
                SpecFile.write(Path.of(c.state().bundle()).resolve(InitStage.SECURITY_FILE), security(List.of(args)));
            }
            ContainerCgroup cgroup = limits == null ? null : ContainerCgroup.create(null, c.state().id(), limits, id -> false);
            if (cgroup != null && devices != null) {
                DevicesController.apply(cgroup.cgroup(), devices);
            }
            int code;
            try {
                try {
                    c.start();
                    code = c.await();
                } catch (ContainerException e) {
                    c.await();
                    code = e.exitCode();
                    Files.writeString(err, e.getMessage(), java.nio.file.StandardOpenOption.APPEND);
                }
            } finally {
                if (cgroup != null) {
                    cgroup.close();
                }
            }
            runtime.finish(c, code);
            return new OneShot.Outcome(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.toFile().delete();
            err.toFile().delete();
        }
    }

    private static Path temp() {
        try {
            return Files.createTempFile("mini-secure", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
