package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.minidocker.lab.CgroupMode;
import dev.minidocker.lab.Lab;
import dev.minidocker.lab.LabOptions;
import dev.minidocker.sys.Privileged;

/**
 * On a pure cgroup v2 host (the lab guest; students' machines) there is no devices controller:
 * the BPF device program is all that stands between root in a container, which keeps CAP_MKNOD,
 * and the host's disks. In the guest, ./mini makes a node for sda (8:0) and tries to open it.
 */
@Tag("lab")
class DevicesOnCgroupV2InTheLabTest {
    private static final String PROBE = "mknod /tmp/sda b 8 0 && echo made; (exec 3</tmp/sda) 2>&1; (exec 3</dev/null) && echo null-opened";

    @Test
    void aBlockDeviceNodeCanBeMadeButNotOpenedWhileDevNullOpens() {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "needs qemu-system-x86_64 (apt-get install qemu-system-x86) for the lab guest");
        String script = "./mini run --rm --network none busybox true >/dev/null 2>&1;" // makes the image in the guest's store
                + " ./mini doctor | grep -E '^(OK|WARN|FAIL) +(cgroups|devices) '; echo ---;"
                + " ./mini run --rm --network none --cap-add MKNOD busybox sh -c '" + PROBE + "'; echo ---;"
                + " ./mini run --rm --network none --privileged busybox sh -c '" + PROBE + "'";
        Lab.Outcome r = Lab.fromEnvironment().capture(new LabOptions(CgroupMode.V2, Duration.ofMinutes(8), LabOptions.DEFAULT_MEMORY_MIB),
                List.of("env", "MINI_NO_BUILD=1", "MINI_ROOT=" + Path.of(System.getProperty("java.io.tmpdir"), "mini-cli-test-root"),
                        "sh", "-c", script));
        assertEquals(0, r.status(), r.output() + r.errors());
        String[] parts = r.output().split("---\n");
        assertEquals(3, parts.length, r.output());
        assertTrue(parts[0].contains("cgroups              mode v2"), "the guest is a pure v2 host: " + parts[0]);
        assertTrue(parts[0].lines().anyMatch(l -> l.matches("OK\\s+devices\\s+cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program.*")), parts[0]);
        assertEquals(List.of("made", "sh: can't open /tmp/sda: Operation not permitted", "null-opened"), parts[1].lines().toList(),
                "the defaults: CAP_MKNOD kept, the open refused by the program");
        // --privileged attaches an allow-all program: the open reaches the block layer, which has no sda in the guest
        assertEquals(List.of("made", "sh: can't open /tmp/sda: No such device or address", "null-opened"), parts[2].lines().toList());
    }
}
