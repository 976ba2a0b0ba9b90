package dev.minidocker.ch16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.security.Capability;
import dev.minidocker.container.security.SecurityOptions;
import dev.minidocker.sys.Privileged;

/**
 * The demo's claims, each seen from inside a busybox container: once with docker's defaults
 * (what mini run gives) and once with --privileged, which gives none of them. No probe changes
 * the host; the core_pattern test checks that it did not.
 */
class EscapesTest {
    @BeforeAll
    static void image() {
        Privileged.requireRoot();
        Escapes.hostBlockDevice();
    }

    @BeforeEach
    void root() {
        Privileged.requireRoot();
    }

    private static Map<String, String> status(SecurityOptions o) {
        OneShot.Outcome r = Escapes.run(o, Escapes.STATUS);
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String> m = new HashMap<>();
        for (String line : r.lines()) {
            String[] kv = line.split(":\\s*", 2);
            m.put(kv[0], kv[1]);
        }
        return m;
    }

    @Test
    void rootInsideHoldsDockersFourteenCapabilitiesAndPrivilegedHoldsAll() {
        Map<String, String> d = status(Escapes.DEFAULTS);
        assertEquals("00000000a80425fb", d.get("CapEff"));
        assertEquals(14, Capability.names(Long.parseUnsignedLong(d.get("CapBnd"), 16)).size(), d.toString());
        assertEquals("0000000000000000", d.get("CapAmb"));
        assertEquals("2", d.get("Seccomp"), "SECCOMP_MODE_FILTER");
        Map<String, String> p = status(Escapes.PRIVILEGED);
        assertEquals(String.format("%016x", Capability.allHeld()), p.get("CapEff"), "every capability mini holds");
        assertEquals("0", p.get("Seccomp"));
    }

    @Test
    void onlyTheSeccompFilterRefusesANewUserNamespace() {
        String confined = Escapes.shown(Escapes.run(Escapes.DEFAULTS, Escapes.UNSHARE));
        assertTrue(confined.contains("Operation not permitted"), confined);
        assertFalse(confined.contains("a new user namespace"), confined);
        String privileged = Escapes.shown(Escapes.run(Escapes.PRIVILEGED, Escapes.UNSHARE));
        assertEquals("unshare -U: a new user namespace", privileged);
    }

    @Test
    void corePatternIsReadOnlyWithTheDefaultsAndTheHostIsUnchanged() throws Exception {
        Path file = Path.of("/proc/sys/kernel/core_pattern");
        String before = Files.readString(file);
        String confined = Escapes.shown(Escapes.run(Escapes.DEFAULTS, Escapes.CORE_PATTERN));
        assertEquals(List.of("sh: can't create /proc/sys/kernel/core_pattern: Read-only file system", "refused"),
                Escapes.lines(confined));
        assertEquals("written (the same value back)", Escapes.shown(Escapes.run(Escapes.PRIVILEGED, Escapes.CORE_PATTERN)),
                "--privileged can write host-wide /proc/sys files");
        assertEquals(before, Files.readString(file));
    }

    @Test
    void maskedPathsAreEmptyWithTheDefaultsOnly() {
        assertEquals(List.of("/proc/interrupts: 0 lines", "/proc/timer_list: 0 lines", "/sys/firmware: 0 entries"),
                Escapes.run(Escapes.DEFAULTS, Escapes.MASKED).lines());
        List<String> privileged = Escapes.run(Escapes.PRIVILEGED, Escapes.MASKED).lines();
        assertFalse(privileged.get(0).startsWith("/proc/interrupts: 0 "), privileged.toString());
        assertFalse(privileged.get(1).startsWith("/proc/timer_list: 0 "), privileged.toString());
    }

    /**
     * On a hybrid host both drivers are tried: with v2 the container's cgroup is in the v2 tree only, so
     * the BPF program is what refuses (the v1 devices cgroup it stays in allows everything).
     */
    @Test
    void aNodeForAHostBlockDeviceCanBeMadeButNotOpenedWhateverTheCgroupVersion() {
        Escapes.BlockDevice d = Escapes.hostBlockDevice();
        String probe = Escapes.openHostBlockDevice(d);
        for (String driver : Escapes.cgroupDrivers()) {
            assertEquals(List.of("mknod /tmp/" + d.name() + " b " + d.numbers() + ": made",
                    "sh: can't open /tmp/" + d.name() + ": Operation not permitted", "open /dev/null: opened"),
                    Escapes.run(Escapes.DEFAULTS, probe, driver).lines(), "--cgroup-driver " + driver);
            assertEquals(List.of("mknod /tmp/" + d.name() + " b " + d.numbers() + ": made",
                    "open /tmp/" + d.name() + ": opened, the device is readable", "open /dev/null: opened"),
                    Escapes.run(Escapes.PRIVILEGED, probe, driver).lines(), "--privileged --cgroup-driver " + driver);
        }
    }

    @Test
    void theChrootEscapeIsStoppedByPivotRootNotByTheDefaultCapabilities() throws Exception {
        Path dir = Files.createTempDirectory("ch16-test-");
        Path secret = Escapes.hostSecret(dir);
        try {
            Path root = Escapes.rootWithEscape(dir);
            assertEquals("ESCAPED: the host's secret", Escapes.chrootEscape(root, secret, Isolation.CHROOT, Escapes.DEFAULTS),
                    "docker's defaults keep CAP_SYS_CHROOT");
            SecurityOptions noChroot = new SecurityOptions(null, List.of("SYS_CHROOT"), false, null, null, null);
            assertEquals("chroot: Operation not permitted", Escapes.chrootEscape(root, secret, Isolation.CHROOT, noChroot));
            assertEquals("CONTAINED", Escapes.chrootEscape(root, secret, Isolation.PIVOT_ROOT, Escapes.DEFAULTS));
            assertEquals("CONTAINED", Escapes.chrootEscape(root, secret, Isolation.PIVOT_ROOT, Escapes.PRIVILEGED));
        } finally {
            Files.deleteIfExists(secret);
            FileTrees.delete(dir);
        }
    }

    @Test
    void anExecSeesOnlyTheContainersOwnProgramsNoRuntime() {
        List<String> seen = Escapes.lines(Escapes.execSees());
        assertEquals(2, seen.size(), "PID 1 and the exec'd shell: " + seen);
        assertTrue(seen.get(0).startsWith("PID 1: sh /bin/busybox"), seen.toString());
        for (String l : seen) {
            assertTrue(l.matches("PID [0-9]+: [a-z]+ /bin/busybox"), "a process that is not busybox is visible: " + l);
        }
    }

    @Test
    void aWorkingDirectoryThroughADescriptorIsRefusedBeforeExecve() {
        for (int fd = 3; fd <= 7; fd++) {
            OneShot.Outcome r = Escapes.workingDirectoryThroughFd(fd);
            assertEquals(125, r.exitCode(), "fd " + fd + ": " + r.stdout());
            assertEquals("", r.stdout(), "pwd ran");
            assertTrue(r.stderr().contains("the working directory /proc/self/fd/" + fd), r.stderr());
        }
    }
}
