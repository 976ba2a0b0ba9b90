package dev.minidocker.container.runtime;

import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.engine.OneShot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.testing.TestContainers;

/** After a container ends, nothing of it remains: no process, no mount, no directory. */
class NoLeftoversTest {

    @Test
    void removedContainerLeavesNoDirectoryMountOrProcess() throws IOException {
        TestContainers.busybox();
        Path containers = new Containers(TestContainers.root()).directory();
        java.util.concurrent.atomic.AtomicReference<Path> bundle = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Path> pid1 = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Path> state = new java.util.concurrent.atomic.AtomicReference<>();
        OneShot.Outcome r = TestContainers.runWhile((c, out) -> {
            bundle.set(containers.resolve(c.id()));
            state.set(ForegroundRun.runtimeRoot(TestContainers.root()).resolve(c.id()));
            assertTrue(Files.isRegularFile(state.get().resolve("state.json")), "no runtime state while running");
            pid1.set(Path.of("/proc", Integer.toString(c.pid())));
            assertTrue(Files.isDirectory(bundle.get()), "no bundle while running");
        }, "sh", "-c", "mount | wc -l");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(Integer.parseInt(r.stdout().trim()) >= 5, "mounts inside: " + r.stdout());
        assertFalse(Files.exists(bundle.get()), "the container's directory was left behind: " + bundle.get());
        assertFalse(Files.exists(pid1.get()), "the container's PID 1 is still there: " + pid1.get());
        assertFalse(Files.exists(state.get()), "the runtime's state directory was left behind: " + state.get());
        String hostMounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(hostMounts.contains(containers.toString()), "a container mount leaked to the host:\n" + hostMounts);
    }

}
