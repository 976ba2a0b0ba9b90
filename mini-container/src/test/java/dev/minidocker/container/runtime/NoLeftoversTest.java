package dev.minidocker.container.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.testing.TestContainers;

/** After a container ends, nothing of it remains: no process, no mount, no directory. */
class NoLeftoversTest {

    @Test
    void removedContainerLeavesNoDirectoryMountOrProcess() throws IOException {
        TestContainers.busybox();
        Path containers = new Containers(TestContainers.root()).directory();
        long before = count(containers);
        TestContainers.Result r = TestContainers.runWhile((c, out) -> {
            assertTrue(Files.isDirectory(Path.of("/proc", Integer.toString(c.pid()))));
        }, "sh", "-c", "mount | wc -l");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(Integer.parseInt(r.stdout().trim()) >= 5, "mounts inside: " + r.stdout());
        assertEquals(before, count(containers), "a container directory was left behind");
        String hostMounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(hostMounts.contains(containers.toString()), "a container mount leaked to the host:\n" + hostMounts);
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
