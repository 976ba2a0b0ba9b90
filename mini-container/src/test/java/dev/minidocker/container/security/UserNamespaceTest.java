package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.engine.NetworkSetup;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.ns.SubordinateIds;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.testing.TestContainers;

/**
 * {@code --userns=private}: what the process inside a container with its own user namespace
 * sees, and what its root can no longer do to the host.
 */
class UserNamespaceTest {
    private static final SubordinateIds.Mapping RANGE = new SubordinateIds.Mapping(
            new SubordinateIds.Range(100000, 65536), new SubordinateIds.Range(100000, 65536), "test");

    private static OneShot.Outcome run(SecurityOptions security, NetworkSetup setup, String script) {
        return TestContainers.run(s -> {
            s.userNamespace = RANGE;
            s.security = security;
            s.setup = setup;
        }, "sh", "-c", script);
    }

    private static OneShot.Outcome run(String script) {
        return run(SecurityOptions.defaults(), NetworkSetup.NONE, script);
    }

    @Test
    void rootInsideIsUid0AndTheMapSaysWhichHostRange() {
        OneShot.Outcome o = run("id; cat /proc/self/uid_map /proc/self/gid_map");
        assertEquals(0, o.exitCode(), o.stderr());
        List<String> lines = o.lines();
        assertEquals("uid=0(root) gid=0(root)", lines.get(0));
        assertEquals(List.of("0", "100000", "65536"), List.of(lines.get(1).trim().split("\\s+")));
        assertEquals(List.of("0", "100000", "65536"), List.of(lines.get(2).trim().split("\\s+")));
    }

    @Test
    void theImageFilesKeepTheirOwnersInside() {
        // on the host the layers' files belong to uid 0, which this namespace does not map: idmapped, they show as 0
        OneShot.Outcome o = run("stat -c '%u:%g %n' /etc/passwd /bin/busybox /");
        assertEquals(0, o.exitCode(), o.stderr());
        assertEquals(List.of("0:0 /etc/passwd", "0:0 /bin/busybox", "0:0 /"), o.lines());
    }

    @Test
    void aFileWrittenInsideBelongsToTheMappedRangeOnTheHost() {
        AtomicReference<String> owner = new AtomicReference<>();
        OneShot s = TestContainers.oneShot("sh", "-c", "touch /by-root && touch /by-1000 && chown 1000:1000 /by-1000 && echo ready && sleep 10");
        s.userNamespace = RANGE;
        s.security = SecurityOptions.defaults();
        OneShot.Outcome outcome = s.run((c, out) -> {
            TestContainers.awaitOutput(out, "ready");
            Path upper = new Containers(TestContainers.root()).bundle(c.id()).resolve("upper");
            owner.set(owner(upper.resolve("by-root")) + " " + owner(upper.resolve("by-1000")) + " " + owner(upper));
            c.kill(9);
        });
        assertEquals(137, outcome.exitCode(), outcome.stderr());
        assertEquals("100000:100000 101000:101000 100000:100000", owner.get());
    }

    @Test
    void allCapabilitiesInsideStillCannotWriteAHostRootFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("host-owned");
        Files.writeString(file, "original\n");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        NetworkSetup bind = NetworkSetup.then(NetworkSetup.NONE, (id, name, bundle, spec) -> {
            List<ContainerSpec.Mount> mounts = new ArrayList<>(spec.mounts());
            mounts.add(new ContainerSpec.Mount("/host", "bind", dir.toString(), List.of("rbind", "rw")));
            return spec.withMounts(mounts);
        });
        // --privileged: every capability, no seccomp; but they count only for what the namespace owns
        OneShot.Outcome o = run(new SecurityOptions(null, null, true, null, null, null), bind,
                "grep CapEff /proc/self/status; stat -c %u /host/host-owned; echo changed > /host/host-owned; echo write=$?;"
                        + " v=$(cat /proc/sys/kernel/core_pattern); echo \"$v\" > /proc/sys/kernel/core_pattern; echo core_pattern=$?;"
                        + " mknod /tmp/disk b 8 0; echo mknod=$?; hostname renamed; echo hostname=$?");
        List<String> lines = o.lines();
        long capEff = Long.parseLong(lines.get(0).replace("CapEff:", "").trim(), 16);
        assertTrue((capEff & (1L << 21)) != 0, "--privileged holds CAP_SYS_ADMIN (in its namespace): " + lines.get(0));
        assertEquals("65534", lines.get(1), "host root's file is owned by the overflow uid inside");
        assertEquals("write=1", lines.get(2), o.stderr());
        assertEquals("core_pattern=1", lines.get(3), o.stderr());
        assertEquals("mknod=1", lines.get(4), o.stderr());
        assertEquals("hostname=0", lines.get(5), "its own UTS namespace belongs to its user namespace: " + o.stderr());
        assertEquals("original\n", Files.readString(file));
        assertNotEquals("renamed", java.net.InetAddress.getLocalHost().getHostName());
    }

    @Test
    void itsCgroupLimitHoldsThoughItsRootMayNotOpenTheHostsCgroupFiles() {
        // the runtime opened cgroup.procs for the init stage, which joined the cgroup with that descriptor
        OneShot.Outcome o = TestContainers.run(s -> {
            s.userNamespace = RANGE;
            s.security = SecurityOptions.defaults();
            s.limits = dev.minidocker.container.cgroup.Limits.parse("64m", null, null, null, null);
        }, "sh", "-c", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max");
        assertEquals(0, o.exitCode(), o.stderr());
        assertEquals(List.of("67108864"), o.lines());
    }

    @Test
    void theRunLeavesNoIdmappedMountOnTheHost() throws IOException {
        OneShot.Outcome o = run("true");
        assertEquals(0, o.exitCode(), o.stderr());
        // the layers were idmapped in a mount namespace of the runtime's thread, gone with it
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        for (Path layer : TestContainers.busybox().layerDirs()) {
            assertFalse(mounts.contains(" " + layer + " "), layer + " is still mounted on the host");
        }
    }

    private static String owner(Path p) {
        try {
            return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                    + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return "missing " + p.getFileName();
        }
    }
}
