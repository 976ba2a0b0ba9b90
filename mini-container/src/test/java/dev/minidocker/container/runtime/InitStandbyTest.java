package dev.minidocker.container.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.engine.SpecBuilder;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Privileged;

/** An init stage started ahead of its container: used only where it fits, and gone without a trace when not used. */
class InitStandbyTest {
    @BeforeAll
    static void needsRoot() {
        Privileged.requireRoot();
    }

    @Test
    void anUnusedStandbyEndsWhenClosedAndLeavesNoProcess() {
        InitStandby standby = InitStandby.spawn(SpecBuilder.namespaces(Namespaces.CONTAINER), Stdio.inherit());
        int pid = standby.pid();
        assertTrue(pid > 0 && Files.isDirectory(Path.of("/proc", Integer.toString(pid))), "the standby runs as PID " + pid);
        standby.close();
        assertFalse(Files.exists(Path.of("/proc", Integer.toString(pid))), "the closed standby's process is gone (killed and reaped)");
    }

    @Test
    void itFitsOnlyTheNamespacesAndStdioItWasStartedWith() {
        List<ContainerSpec.Namespace> ns = SpecBuilder.namespaces(Namespaces.CONTAINER);
        try (InitStandby standby = InitStandby.spawn(ns, Stdio.inherit())) {
            ContainerRuntime.CreateOptions foreground = ContainerRuntime.CreateOptions.foreground(Stdio.inherit());
            assertTrue(standby.fits(ns, foreground));
            List<ContainerSpec.Namespace> reversed = new java.util.ArrayList<>(ns);
            java.util.Collections.reverse(reversed);
            assertTrue(standby.fits(reversed, foreground), "the order does not matter");
            assertFalse(standby.fits(ns.subList(1, ns.size()), foreground), "one namespace fewer");
            List<ContainerSpec.Namespace> joined = new java.util.ArrayList<>(ns);
            joined.replaceAll(n -> n.type().equals("network") ? new ContainerSpec.Namespace("network", "/proc/1/ns/net") : n);
            assertFalse(standby.fits(joined, foreground), "a network namespace to join, not to create");
            assertFalse(standby.fits(ns, ContainerRuntime.CreateOptions.foreground(Stdio.toFiles(Path.of("/o"), Path.of("/e")))),
                    "other stdio");
            assertFalse(standby.fits(ns, new ContainerRuntime.CreateOptions(null, "/run/console.sock", false, 0, true, Stdio.inherit())),
                    "a terminal: its pty comes through a console socket");
            assertFalse(standby.fits(ns, new ContainerRuntime.CreateOptions(null, null, false, 0, false, Stdio.inherit())),
                    "a container that outlives its runtime");
            assertFalse(standby.fits(ns, new ContainerRuntime.CreateOptions(null, null, false, 2, true, Stdio.inherit())),
                    "preserved descriptors");
        }
    }
}
