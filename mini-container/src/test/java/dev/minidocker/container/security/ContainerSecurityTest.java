package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.testing.TestContainers;

/** What a process inside a container with docker's defaults may do, seen from inside. Real containers. */
class ContainerSecurityTest {
    /** docker's 14 capabilities as a mask, the way /proc/PID/status prints it. */
    private static final String DOCKER_CAPS = "00000000a80425fb";

    @BeforeAll
    static void image() {
        TestContainers.busybox();
    }

    private static Map<String, String> status(OneShot.Outcome r) {
        Map<String, String> m = new HashMap<>();
        for (String line : r.lines()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    private static final String STATUS = "grep -E '^(Cap|Seccomp|NoNewPrivs|Uid|Gid|Groups)' /proc/self/status";

    @Test
    void rootInsideHasDockersFourteenCapabilitiesAndASeccompFilter() {
        OneShot.Outcome r = new SecureContainers().run("sh", "-c", STATUS);
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String> s = status(r);
        assertEquals(DOCKER_CAPS, s.get("CapEff"), r.stdout());
        assertEquals(DOCKER_CAPS, s.get("CapPrm"));
        assertEquals(DOCKER_CAPS, s.get("CapBnd"));
        assertEquals("0000000000000000", s.get("CapAmb"));
        assertEquals("2", s.get("Seccomp"), "2 is SECCOMP_MODE_FILTER");
        assertEquals("0", s.get("NoNewPrivs"));
        assertTrue(s.get("Uid").startsWith("0\t"), s.get("Uid"));
        assertEquals("", s.get("Groups"), "the runtime's supplementary groups leaked in");
    }

    @Test
    void aNonRootUserGetsNoEffectiveCapabilitiesButKeepsTheBoundingSet() {
        SecureContainers c = new SecureContainers();
        c.user = new ContainerSpec.User(1000, 1001, null, List.of(29L, 100L));
        OneShot.Outcome r = c.run("sh", "-c", STATUS + "; id");
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String> s = status(r);
        assertEquals("0000000000000000", s.get("CapEff"), r.stdout());
        assertEquals("0000000000000000", s.get("CapPrm"));
        assertEquals(DOCKER_CAPS, s.get("CapBnd"));
        assertEquals("1000\t1000\t1000\t1000", s.get("Uid"));
        assertEquals("1001\t1001\t1001\t1001", s.get("Gid"));
        assertEquals("29 100", s.get("Groups"));
    }

    @Test
    void ambientCapabilitiesReachANonRootUser() {
        SecureContainers c = new SecureContainers();
        c.user = new ContainerSpec.User(1000, 1000, null, null);
        c.ambient = List.of("CAP_NET_BIND_SERVICE");
        Map<String, String> s = status(c.run("sh", "-c", STATUS));
        assertEquals(String.format("%016x", 1L << 10), s.get("CapEff"));
        assertEquals(String.format("%016x", 1L << 10), s.get("CapAmb"));
    }

    @Test
    void noNewPrivilegesIsSetWhenAskedAndSeccompStillLoads() {
        SecureContainers c = new SecureContainers();
        c.noNewPrivileges = true;
        c.user = new ContainerSpec.User(1000, 1000, null, null);
        Map<String, String> s = status(c.run("sh", "-c", STATUS));
        assertEquals("1", s.get("NoNewPrivs"));
        assertEquals("2", s.get("Seccomp"));
    }

    @Test
    void capDropAllLeavesNothing() {
        SecureContainers c = new SecureContainers();
        c.bounding = List.of();
        c.effective = List.of();
        OneShot.Outcome r = c.run("sh", "-c", STATUS + "; chown 1:1 /tmp 2>&1");
        Map<String, String> s = status(r);
        assertEquals("0000000000000000", s.get("CapEff"));
        assertEquals("0000000000000000", s.get("CapBnd"));
        assertTrue(r.stdout().contains("Operation not permitted"), "root without CAP_CHOWN chowned: " + r.stdout());
    }

    @Test
    void seccompRefusesNewNamespacesThatCapabilitiesAloneWouldAllow() {
        // A user namespace needs no capability at all: only the filter stands in the way.
        OneShot.Outcome confined = new SecureContainers().run("sh", "-c", "unshare -U true 2>&1; echo status=$?");
        assertTrue(confined.stdout().contains("Operation not permitted"), confined.stdout());
        assertTrue(confined.stdout().contains("status=1"), confined.stdout());
        SecureContainers unconfined = new SecureContainers();
        unconfined.seccomp = false;
        OneShot.Outcome r = unconfined.run("sh", "-c", "unshare -U true 2>&1; echo status=$?");
        assertTrue(r.stdout().contains("status=0"), "without the filter unshare -U should work: " + r.stdout());
    }

    @Test
    void corePatternCannotBeWritten() throws IOException {
        String host = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
        // writes back the value it read: even if the write went through, the host would not change
        OneShot.Outcome r = new SecureContainers().run("sh", "-c",
                "v=$(cat /proc/sys/kernel/core_pattern); echo \"$v\" > /proc/sys/kernel/core_pattern; echo status=$?");
        assertTrue(r.stderr().contains("Read-only file system"), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("status=1"), r.stdout());
        assertEquals(host, Files.readString(Path.of("/proc/sys/kernel/core_pattern")));
    }

    @Test
    void mountsAndRemountsAreRefused() {
        OneShot.Outcome r = new SecureContainers().run("sh", "-c",
                "mount -t tmpfs none /mnt 2>&1; echo tmpfs=$?; mount -o remount,rw /sys 2>&1; echo sys=$?;"
                        + " mount -o remount,rw /proc/sys 2>&1; echo procsys=$?; touch /sys/x 2>&1; echo touch=$?");
        List<String> lines = r.lines();
        // busybox says "permission denied (are you root?)" for EPERM
        assertEquals(List.of("mount: permission denied (are you root?)", "tmpfs=1",
                "mount: permission denied (are you root?)", "sys=1",
                "mount: permission denied (are you root?)", "procsys=1",
                "touch: /sys/x: Read-only file system", "touch=1"), lines, r.stderr());
    }

    @Test
    void maskedPathsReadEmpty() {
        String probe = "wc -c < /proc/keys; wc -c < /proc/timer_list; wc -c < /proc/interrupts; ls /sys/firmware | wc -l";
        OneShot.Outcome r = new SecureContainers().run("sh", "-c", probe);
        assertEquals(List.of("0", "0", "0", "0"), r.lines(), r.stdout() + r.stderr());
        SecureContainers none = new SecureContainers();
        none.masked = List.of();
        List<String> unmasked = none.run("sh", "-c", probe).lines();
        assertTrue(Long.parseLong(unmasked.get(1)) > 0 && Long.parseLong(unmasked.get(2)) > 0 && Long.parseLong(unmasked.get(3)) > 0,
                "without masks they have content: " + unmasked);
    }

    @Test
    void readOnlyPathsKeepTheirMountFlags() {
        OneShot.Outcome r = new SecureContainers().run("sh", "-c", "grep ' /proc/sys ' /proc/self/mountinfo");
        String opts = r.stdout().split(" ")[5];
        assertEquals("ro,nosuid,nodev,noexec,relatime", opts, r.stdout());
    }
}
