package dev.minidocker.ch04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.testing.TestContainers;

class MountIsolationTest {
    private static Path dir;
    private static Path root;
    private static Path secret;

    @BeforeAll
    static void buildEscapeRoot() throws IOException {
        dir = Files.createTempDirectory("ch04-test");
        root = EscapeDemo.rootWithEscape(TestContainers.busybox(), dir);
        secret = EscapeDemo.hostSecret(dir);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (secret != null) Files.deleteIfExists(secret);
        if (dir != null) new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }

    @Test
    void chrootedRootProcessEscapesToTheHost() {
        OneShot.Outcome r = TestContainers.run(s -> {
            s.rootDirectory = root;
            s.isolation = Isolation.CHROOT;
        }, "/escape", secret.toString());
        assertEquals("ESCAPED: the host's secret", r.stdout().trim(), r.stderr());
    }

    @Test
    void pivotRootDefeatsTheSameEscape() {
        OneShot.Outcome r = TestContainers.run(s -> {
            s.rootDirectory = root;
            s.isolation = Isolation.PIVOT_ROOT;
        }, "/escape", secret.toString());
        assertEquals("CONTAINED", r.stdout().trim(), () -> "the escape reached the host's files, so the old root is still"
                + " mounted above the container's (is it detached with umount2('.', MNT_DETACH)?) " + r.stderr());
    }

    @Test
    void theOldRootIsNotMountedInside() {
        OneShot.Outcome r = TestContainers.run("cat", "/proc/self/mountinfo");
        // the overlay root and the kernel's file systems config.json lists (mqueue, the cgroup tree: v1 or v2)
        java.util.Set<String> expected = java.util.Set.of("devpts", "overlay", "proc", "sysfs", "tmpfs", "mqueue", "cgroup", "cgroup2");
        java.util.Set<String> types = new java.util.TreeSet<>();
        java.util.List<String> hostMounts = new java.util.ArrayList<>();
        for (String line : r.lines()) {
            String type = line.split(" - ")[1].split(" ")[0];
            types.add(type);
            if (!expected.contains(type)) {
                // mountinfo fields: 5th is the mount point; after " - " come the type and the source
                hostMounts.add(line.split(" ")[4] + " (" + type + " from " + line.split(" - ")[1].split(" ")[1] + ")");
            }
        }
        // only the overlay root and the kernel filesystems the init stage mounted: no host disk
        if (!hostMounts.isEmpty()) {
            fail("the host's root is still mounted inside the container: /proc/self/mountinfo"
                + " shows " + hostMounts.size() + " host mounts, the first " + hostMounts.get(0) + ". After"
                + " pivot_root('.', '.') the old root is stacked on top of the new one, and umount2('.', MNT_DETACH)"
                + " must take it away before chdir('/')");
        }
        assertTrue(types.containsAll(java.util.List.of("overlay", "proc", "tmpfs", "devpts")), r.stdout());
        assertTrue(r.lines().get(0).contains(" / / ") && r.lines().get(0).contains(" - overlay "), r.lines().get(0));
    }

    @Test
    void mountsInsideDoNotAppearOnTheHost() {
        AtomicReference<String> hostView = new AtomicReference<>();
        OneShot.Outcome r = TestContainers.runWhile((c, out) -> {
            TestContainers.awaitOutput(out, "mounted");
            try {
                hostView.set(Files.readString(Path.of("/proc/self/mountinfo")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "sh", "-c", "mkdir -p /mnt/t && mount -t tmpfs ch04-test-tmpfs /mnt/t && grep -c ch04-test-tmpfs /proc/self/mountinfo "
                + "&& echo mounted && sleep 2");
        assertTrue(r.stdout().startsWith("1\nmounted"), r.stdout() + r.stderr());
        assertFalse(hostView.get().contains("ch04-test-tmpfs"), "the container's mount leaked to the host");
    }
}
