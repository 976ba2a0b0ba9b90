package dev.minidocker.container.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.minidocker.lab.CgroupMode;
import dev.minidocker.lab.Lab;
import dev.minidocker.lab.LabOptions;
import dev.minidocker.sys.Privileged;

/**
 * The build machines are hybrid (v1) hosts; students run pure cgroup v2. So the v2 tests run
 * here a second time, in the lab guest booted with only the unified hierarchy, where they
 * must pass with nothing skipped (MINI_REQUIRE_V2=1).
 */
@Tag("lab")
class CgroupV2InTheLabTest {

    @Test
    void v2DriverAndContainerLimitsPassOnAPureV2Host() {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "needs qemu-system-x86_64 (apt-get install qemu-system-x86) for the lab guest");
        List<String> command = new ArrayList<>(List.of("env", "MINI_REQUIRE_V2=1", "MINI_REQUIRE_PRIVILEGED=1"));
        command.addAll(Lab.javaCommand(TestsInGuest.class.getName(),
                CgroupV2IntegrationTest.class.getName(), ContainerLimitsTest.class.getName()));
        Lab.Outcome r = Lab.fromEnvironment().capture(
                new LabOptions(CgroupMode.V2, Duration.ofMinutes(12), LabOptions.DEFAULT_MEMORY_MIB), command);
        assertTrue(r.output().contains("guest tests:"), "the tests did not run in the guest:\n" + r.output() + r.errors());
        assertEquals(0, r.status(), "cgroup v2 tests failed in the lab guest:\n" + r.output() + r.errors());
        String summary = r.output().lines().filter(l -> l.startsWith("guest tests:")).findFirst().orElseThrow();
        System.out.println("lab guest (cgroup v2): " + summary);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("guest tests: (\\d+) succeeded, 0 failed, 0 skipped").matcher(summary);
        assertTrue(m.find(), summary);
        // CgroupV2IntegrationTest and ContainerLimitsTest together have more than ten tests
        assertTrue(Integer.parseInt(m.group(1)) >= 10, summary);
    }
}
