package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/**
 * Boots the lab guest for real (qemu, about 10 s a boot here): one boot on a pure cgroup v2
 * host runs several checks whose reports the tests read, then one boot per other behaviour.
 */
@Tag("lab")
class LabGuestTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static Lab lab;
    private static Map<String, String> v2Report;
    private static Path hostFileWrittenByGuest;

    @BeforeAll
    static void bootOnceOnAPureCgroupV2Host() {
        requireLab();
        lab = Lab.fromEnvironment();
        hostFileWrittenByGuest = lab.home().checkout().resolve("mini-lab/target/written-in-the-lab-" + System.nanoTime());
        String probe = String.join(" ", Lab.javaCommand(KvmProbe.class.getName()).stream()
                .map(RunRequest::shellQuote).toList());
        String script = String.join("\n",
                "echo '=== mountinfo'; cat /proc/self/mountinfo",
                "echo '=== pwd'; pwd",
                "echo '=== kvm'; " + probe,
                "echo '=== nested'; cat /sys/module/kvm_amd/parameters/nested",
                "echo '=== controllers'; cat /sys/fs/cgroup/cgroup.controllers",
                "echo '=== write'; echo hi > '" + hostFileWrittenByGuest + "' && cat '" + hostFileWrittenByGuest + "'");
        Result r = run(CgroupMode.V2, "sh", "-c", script);
        assertEquals(0, r.status, r.err);
        v2Report = sections(r.out);
    }

    @Test
    void aV2GuestHasOnlyTheUnifiedHierarchyAtSysFsCgroup() {
        List<String> cgroupMounts = v2Report.get("mountinfo").lines()
                .filter(l -> l.contains(" - cgroup") || l.contains(" /sys/fs/cgroup")).toList();
        assertEquals(1, cgroupMounts.size(), v2Report.get("mountinfo"));
        String mount = cgroupMounts.get(0);
        assertTrue(mount.split(" ")[4].equals("/sys/fs/cgroup") && mount.contains(" - cgroup2 "), mount);
    }

    @Test
    void everyControllerIsInTheV2TreeWhenV1IsOff() {
        List<String> controllers = List.of(v2Report.get("controllers").strip().split(" "));
        assertTrue(controllers.containsAll(List.of("cpu", "memory", "pids", "io")), controllers.toString());
    }

    @Test
    void devKvmInsideTheGuestAnswersLikeHardwareKvm() {
        assertTrue(v2Report.get("kvm").contains("KVM_GET_API_VERSION 12"), v2Report.get("kvm"));
        assertTrue(v2Report.get("kvm").contains("KVM_CREATE_VM ok"), v2Report.get("kvm"));
        assertEquals("1", v2Report.get("nested").strip(), "kvm_amd's nested paging parameter");
    }

    @Test
    void theCommandRunsInTheCheckoutAndItsWritesStayInTheGuest() {
        assertEquals(lab.home().checkout().toString(), v2Report.get("pwd").strip());
        assertEquals("hi", v2Report.get("write").strip());
        assertFalse(Files.exists(hostFileWrittenByGuest), "the host's root is shared read-only");
    }

    @Test
    void theCommandsExitStatusComesBack() {
        Result r = run(CgroupMode.V2, "sh", "-c", "echo before; printf 'no newline'; exit 7");
        assertEquals(7, r.status, r.err);
        assertEquals("before\nno newline\n", r.out);
    }

    @Test
    void aHybridGuestHasOneV1HierarchyPerControllerAndAnEmptyUnifiedTree() {
        Result r = run(CgroupMode.HYBRID, "sh", "-c", "cat /proc/self/mountinfo; echo '=== unified'; cat /sys/fs/cgroup/unified/cgroup.controllers");
        assertEquals(0, r.status, r.err);
        Map<String, String> report = sections("=== mountinfo\n" + r.out);
        for (String controller : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids")) {
            assertTrue(report.get("mountinfo").contains(" /sys/fs/cgroup/" + controller + " ")
                    && report.get("mountinfo").contains(" - cgroup cgroup rw," + controller), controller);
        }
        assertTrue(report.get("mountinfo").contains(" /sys/fs/cgroup/unified ")
                && report.get("mountinfo").contains(" - cgroup2 "), report.get("mountinfo"));
        assertFalse(report.get("unified").contains("memory"), "memory belongs to v1 in hybrid mode");
    }

    @Test
    void aCommandThatRunsTooLongIsStoppedWithTheTimeoutStatus() {
        Result r = run(new LabOptions(CgroupMode.V2, Duration.ofSeconds(3), LabOptions.DEFAULT_MEMORY_MIB), "sleep", "600");
        assertEquals(LabMachine.TIMED_OUT, r.status);
        assertTrue(r.err.contains("timed out after 3 s"), r.err);
    }

    private record Result(int status, String out, String err) {
    }

    private static Result run(CgroupMode cgroup, String... command) {
        return run(new LabOptions(cgroup, TIMEOUT, LabOptions.DEFAULT_MEMORY_MIB), command);
    }

    private static Result run(LabOptions options, String... command) {
        Lab.Outcome outcome = lab.capture(options, List.of(command));
        return new Result(outcome.status(), outcome.output(), outcome.errors());
    }

    /** Splits "=== name" sections of a report. */
    private static Map<String, String> sections(String report) {
        Map<String, String> sections = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : report.split("\n", -1)) {
            if (line.startsWith("=== ")) {
                if (name != null) {
                    sections.put(name, body.toString());
                }
                name = line.substring(4).strip();
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            sections.put(name, body.toString());
        }
        return sections;
    }

    private static void requireLab() {
        Privileged.requireRoot();
        Privileged.require(Tools.find("qemu-system-x86_64").isPresent(),
                "needs qemu-system-x86_64 (apt-get install qemu-system-x86)");
    }
}
