package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;

/** docker's run flags, turned into the spec's security parts. */
class SecurityOptionsTest {
    private static SecurityOptions caps(List<String> add, List<String> drop) {
        return new SecurityOptions(add, drop, false, null, null, null);
    }

    private static long mask(SecurityOptions o) {
        return Capability.mask(o.capabilityNames());
    }

    @Test
    void capabilityFlagsCombineAsDockersDo() {
        long defaults = Capability.mask(SpecDefaults.CAPABILITIES);
        long held = Capability.allHeld();
        assertEquals(defaults, mask(SecurityOptions.defaults()));
        assertEquals(defaults | Capability.CAP_SYS_ADMIN.bit(), mask(caps(List.of("SYS_ADMIN"), null)));
        assertEquals(defaults & ~Capability.CAP_NET_RAW.bit(), mask(caps(null, List.of("CAP_NET_RAW"))));
        assertEquals(0, mask(caps(null, List.of("ALL"))));
        assertEquals(Capability.CAP_CHOWN.bit(), mask(caps(List.of("chown"), List.of("ALL"))));
        assertEquals(held & ~Capability.CAP_MKNOD.bit(), mask(caps(List.of("ALL"), List.of("MKNOD"))));
        assertEquals(held, mask(new SecurityOptions(null, List.of("ALL"), true, null, null, null)), "--privileged wins");
        ContainerSpec.Capabilities c = caps(null, List.of("ALL")).capabilities();
        assertEquals(List.of(), c.inheritable());
        assertEquals(List.of(), c.ambient());
        assertThrows(IllegalArgumentException.class, () -> caps(List.of("FLY"), null).capabilityNames());
    }

    @Test
    void seccompFollowsTheCapabilitiesAndTheFlags(@TempDir Path dir) throws IOException {
        assertEquals("SCMP_ACT_ERRNO", SecurityOptions.defaults().seccomp().defaultAction());
        assertTrue(SecurityOptions.defaults().seccomp().syscalls().stream().noneMatch(r -> r.names().contains("mount")));
        assertTrue(caps(List.of("SYS_ADMIN"), null).seccomp().syscalls().stream().anyMatch(r -> r.names().contains("mount")),
                "--cap-add SYS_ADMIN allows mount in the filter too, as docker's profile does");
        assertNull(new SecurityOptions(null, null, false, List.of("seccomp=unconfined"), null, null).seccomp());
        assertNull(new SecurityOptions(null, null, true, null, null, null).seccomp());
        Path profile = dir.resolve("p.json");
        Files.writeString(profile, "{\"defaultAction\": \"SCMP_ACT_LOG\"}");
        assertEquals("SCMP_ACT_LOG",
                new SecurityOptions(null, null, false, List.of("seccomp=" + profile), null, null).seccomp().defaultAction());
    }

    @Test
    void securityOptValues() {
        assertTrue(new SecurityOptions(null, null, false, List.of("no-new-privileges"), null, null).noNewPrivileges());
        assertTrue(new SecurityOptions(null, null, false, List.of("no-new-privileges:true"), null, null).noNewPrivileges());
        assertFalse(new SecurityOptions(null, null, false, List.of("no-new-privileges=false"), null, null).noNewPrivileges());
        assertFalse(SecurityOptions.defaults().noNewPrivileges());
        for (String bad : List.of("apparmor=unconfined", "seccomp", "seccomp=", "no-new-privileges=maybe")) {
            assertThrows(IllegalArgumentException.class,
                    () -> new SecurityOptions(null, null, false, List.of(bad), null, null).seccomp(), bad);
        }
    }

    @Test
    void applyToFillsProcessLinuxAndTheUserToResolve() {
        ContainerSpec spec = SpecDefaults.bundleSpec();
        ContainerSpec out = new SecurityOptions(null, List.of("ALL"), false, List.of("no-new-privileges"), "app:audio",
                List.of("wheel", "7")).applyTo(spec);
        assertEquals(List.of(), out.process().capabilities().bounding());
        assertEquals(Boolean.TRUE, out.process().noNewPrivileges());
        assertEquals(SpecDefaults.MASKED_PATHS, out.linux().maskedPaths());
        assertEquals(SpecDefaults.READONLY_PATHS, out.linux().readonlyPaths());
        assertEquals("SCMP_ACT_ERRNO", out.linux().seccomp().defaultAction());
        assertEquals(Map.of(ContainerUser.USER_ANNOTATION, "app:audio", ContainerUser.GROUP_ADD_ANNOTATION, "wheel,7"),
                out.annotations());
        assertEquals(spec.process().args(), out.process().args());
        assertEquals(spec.linux().namespaces(), out.linux().namespaces());
        ContainerSpec privileged = new SecurityOptions(null, null, true, null, null, null).applyTo(spec);
        assertEquals(List.of(), privileged.linux().maskedPaths());
        assertEquals(List.of(), privileged.linux().readonlyPaths());
        assertNull(privileged.linux().seccomp());
    }

    @Test
    void theUserIsResolvedInTheMountedRootAndGivesHome(@TempDir Path rootfs) throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "app:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "app:x:1000:\naudio:x:29:app\nwheel:x:10:\n");
        ContainerSpec spec = new SecurityOptions(null, null, false, null, "app", List.of("wheel")).applyTo(SpecDefaults.bundleSpec());
        ContainerSpec.Process p = ContainerUser.resolveInSpec(rootfs, spec);
        assertEquals(new ContainerSpec.User(1000, 1000, null, List.of(29L, 10L)), p.user());
        assertTrue(p.env().contains("HOME=/home/app"), p.env().toString());
        ContainerSpec withHome = spec.withProcess(new ContainerSpec.Process(null, null, null, List.of("sh"), List.of("HOME=/x"),
                "/", null, null, null, null, null, null));
        assertEquals(List.of("HOME=/x"), ContainerUser.resolveInSpec(rootfs, withHome).env());
        assertEquals(SpecDefaults.bundleSpec().process(), ContainerUser.resolveInSpec(rootfs, SpecDefaults.bundleSpec()));
    }
}
