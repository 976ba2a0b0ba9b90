package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.cgroup.DevicesController;
import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.sys.Privileged;

/**
 * CAP_MKNOD is one of docker's 14, so root in a container can make a node for the host's disk;
 * the devices rules (the v1 controller, or on v2 the BPF program) are what stop it from opening it. The probe only reads one byte.
 */
class DeviceAccessTest {
    private String disk; // "major minor" of the host's first block device

    @BeforeEach
    void v1DevicesController() throws IOException {
        Privileged.requireCgroups();
        List<String> partitions = Files.readAllLines(Path.of("/proc/partitions"));
        Privileged.require(partitions.size() > 2, "needs a block device in /proc/partitions");
        String[] f = partitions.get(2).trim().split("\\s+");
        disk = f[0] + " " + f[1];
    }

    /** Makes the host's disk and /dev/fuse (c 10:229, not one of the defaults; opening it needs no capability) and tries to open them: read-only, one byte at most. */
    private OneShot.Outcome probe(List<dev.minidocker.container.spec.ContainerSpec.DeviceRule> rules) {
        SecureContainers c = new SecureContainers();
        c.limits = new Limits(null, null, null, null, 64);
        c.devices = rules;
        return c.run("sh", "-c", "mknod /tmp/disk b " + disk + " && mknod /tmp/fuse c 10 229 && echo made;"
                + " (exec 3</tmp/disk) 2>&1 && echo opened-disk; (exec 3</tmp/fuse) 2>&1 && echo opened-fuse;"
                + " head -c 4 /dev/urandom | wc -c");
    }

    @Test
    void nodesCanBeMadeButOnlyTheDefaultOnesOpened() {
        OneShot.Outcome r = probe(DevicesController.DENY_ALL); // what docker writes; the runtime adds the allowed ones
        assertEquals(List.of("made", "sh: can't open /tmp/disk: Operation not permitted",
                "sh: can't open /tmp/fuse: Operation not permitted", "4"), r.lines(), r.stderr());
    }

    @Test
    void withoutTheRulesACharacterDeviceOpens() {
        // the control (this build machine refuses block devices to every process, so a character device shows it)
        OneShot.Outcome r = probe(null);
        assertTrue(r.lines().contains("opened-fuse"), r.stdout() + r.stderr());
    }

    @Test
    void rulesAreWrittenInTheKernelsFormat() {
        // what the kernel's devices.list echoes back is the same text
        assertEquals("a", DevicesController.format(DevicesController.DEFAULT_RULES.get(0)));
        assertEquals("c *:* m", DevicesController.format(DevicesController.DEFAULT_RULES.get(1)));
        assertEquals("c 136:* rwm", DevicesController.format(DevicesController.DEFAULT_RULES.get(11)));
    }
}
