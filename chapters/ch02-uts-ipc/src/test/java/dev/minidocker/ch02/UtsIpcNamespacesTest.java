package dev.minidocker.ch02;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.testing.TestContainers;
import dev.minidocker.sys.Privileged;

class UtsIpcNamespacesTest {

    @Test
    void hostnameChangesInTheNewNamespaceOnly() {
        Privileged.requireRoot();
        String before = UtsDemo.hostnameOfThisThread();
        UtsDemo.Observation o = UtsDemo.renameInNewNamespace("ch02-test");
        assertEquals("ch02-test", o.hostnameInside());
        assertEquals(before, o.hostnameOutside());
        assertEquals(before, UtsDemo.hostnameOfThisThread());
        assertNotEquals(o.namespaceInside(), o.namespaceOutside());
        assertTrue(o.namespaceInside().startsWith("uts:["), o.namespaceInside());
    }

    @Test
    void containerSeesItsOwnHostname() {
        OneShot.Outcome r = TestContainers.run(s -> s.hostname = "ch02-box", "hostname");
        assertEquals("ch02-box", r.stdout().trim());
    }

    @Test
    void containerSeesNoneOfTheHostsMessageQueues() {
        TestContainers.busybox();
        String id = IpcDemo.createHostQueue();
        try {
            assertTrue(IpcDemo.hostSees(id));
            OneShot.Outcome r = TestContainers.run("cat", "/proc/sysvipc/msg");
            assertTrue(r.stdout().contains("msqid"), "no header: " + r.stdout() + r.stderr());
            assertEquals(java.util.List.of(), IpcDemo.msqids(r.stdout()), "host queues are visible inside:\n" + r.stdout());
        } finally {
            IpcDemo.removeHostQueue(id);
        }
    }
}
