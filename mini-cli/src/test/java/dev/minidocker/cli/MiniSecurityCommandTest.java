package dev.minidocker.cli;

import static dev.minidocker.cli.MiniCommandTest.mini;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/** `mini run`'s security defaults and each flag that relaxes them, end to end through ./mini. */
class MiniSecurityCommandTest {
    private static final String STATUS = "grep -E '^(CapEff|CapBnd|Seccomp|NoNewPrivs):' /proc/self/status | tr -d '\\t' | tr '\\n' ' '";

    @BeforeAll
    static void needsRoot() {
        Privileged.requireRoot();
    }

    @Test
    void defaultsAreDockersCapabilitiesAndSeccomp() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "busybox", "sh", "-c", STATUS + "; unshare -U true 2>/dev/null; echo unshare=$?");
        assertEquals(0, r.code(), r.err());
        assertEquals("CapEff:00000000a80425fb CapBnd:00000000a80425fb NoNewPrivs:0 Seccomp:2 unshare=1\n", r.out());
    }

    @Test
    void capDropAllThenCapAddKeepsOnlyWhatIsAdded() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--cap-drop", "ALL", "--cap-add", "CHOWN", "busybox", "sh", "-c", STATUS);
        assertEquals("CapEff:0000000000000001 CapBnd:0000000000000001 NoNewPrivs:0 Seccomp:2 ", r.out(), r.err());
    }

    @Test
    void seccompUnconfinedRemovesOnlyTheFilter() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--security-opt", "seccomp=unconfined", "busybox", "sh", "-c",
                STATUS + "; unshare -U true; echo unshare=$?");
        assertEquals("CapEff:00000000a80425fb CapBnd:00000000a80425fb NoNewPrivs:0 Seccomp:0 unshare=0\n", r.out(), r.err());
    }

    @Test
    void seccompProfileFileIsDockersFormat() throws Exception {
        Path profile = Files.createTempFile("profile", ".json");
        try {
            Files.writeString(profile, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                    + "{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13}]}");
            MiniCommandTest.Run r = mini("run", "--rm", "--security-opt", "seccomp=" + profile, "busybox", "sh", "-c",
                    "mkdir /tmp/d 2>&1; echo mkdir=$?");
            assertEquals("mkdir: can't create directory '/tmp/d': Permission denied\nmkdir=1\n", r.out(), r.err());
        } finally {
            Files.delete(profile);
        }
    }

    @Test
    void noNewPrivilegesIsSet() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--security-opt", "no-new-privileges", "busybox", "sh", "-c", STATUS);
        assertTrue(r.out().contains("NoNewPrivs:1 Seccomp:2"), r.out() + r.err());
    }

    @Test
    void privilegedHasEverythingAndNoMasks() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--privileged", "busybox", "sh", "-c",
                STATUS + "; echo; wc -c < /proc/timer_list; grep -c ' /proc/sys ro' /proc/self/mountinfo");
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].endsWith("Seccomp:0 "), r.out() + r.err());
        assertFalse(lines[0].contains("CapEff:00000000a80425fb"), r.out());
        assertTrue(Long.parseLong(lines[1].trim()) > 0, "timer_list masked under --privileged");
        assertEquals("0", lines[2].trim());
    }

    @Test
    void userByNameAndGroupAdd() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "-u", "nobody", "--group-add", "10", "busybox", "sh", "-c",
                "id; echo HOME=$HOME; " + STATUS);
        assertEquals("uid=65534(nobody) gid=65534(nobody) groups=10\nHOME=/nonexistent\nCapEff:0000000000000000"
                + " CapBnd:00000000a80425fb NoNewPrivs:0 Seccomp:2 ", r.out(), r.err());
        MiniCommandTest.Run numeric = mini("run", "--rm", "-u", "1234:5678", "busybox", "id");
        assertEquals("uid=1234 gid=5678\n", numeric.out(), numeric.err());
    }

    @Test
    void onlyTheDefaultDevicesOpenUnlessPrivileged() throws Exception {
        String probe = "mknod /tmp/fuse c 10 229 && (exec 3</tmp/fuse) 2>&1 && echo opened";
        assertEquals("sh: can't open /tmp/fuse: Operation not permitted\n", mini("run", "--rm", "busybox", "sh", "-c", probe).out());
        assertEquals("opened\n", mini("run", "--rm", "--privileged", "busybox", "sh", "-c", probe).out());
    }

    @Test
    void onCgroupV2ABpfProgramRefusesTheSameDevices() throws Exception {
        // on a hybrid host the v2 driver puts the container in the v2 tree only: no v1 devices cgroup refuses for it
        Privileged.require(dev.minidocker.container.cgroup.Cgroups.detect() != dev.minidocker.container.cgroup.CgroupMode.V1,
                "this host has no cgroup v2 tree");
        String probe = "mknod /tmp/fuse c 10 229 && (exec 3</tmp/fuse) 2>&1 && echo opened; (exec 3</dev/null) && echo null";
        MiniCommandTest.Run confined = mini("run", "--rm", "--cgroup-driver", "v2", "busybox", "sh", "-c", probe);
        assertEquals("sh: can't open /tmp/fuse: Operation not permitted\nnull\n", confined.out(), confined.err());
        assertEquals("", confined.err(), "the program loaded: no fallback warning");
        assertEquals("opened\nnull\n", mini("run", "--rm", "--privileged", "--cgroup-driver", "v2", "busybox", "sh", "-c", probe).out());
        assertTrue(mini("doctor").out().lines().anyMatch(l -> l.matches("OK\\s+devices\\s.*BPF.*")), "doctor names the BPF program");
    }

    @Test
    void badSecurityFlagsFailWithOneLine() throws Exception {
        MiniCommandTest.Run user = mini("run", "--rm", "-u", "nosuch", "busybox", "true");
        assertEquals(125, user.code());
        assertEquals("mini: unable to find user nosuch: no matching entries in passwd file\n", user.err());
        MiniCommandTest.Run cap = mini("run", "--rm", "--cap-add", "FLY", "busybox", "true");
        assertEquals(125, cap.code());
        assertEquals(1, cap.err().lines().count(), cap.err());
        assertTrue(cap.err().startsWith("mini: unknown capability \"FLY\""), cap.err());
        MiniCommandTest.Run opt = mini("run", "--rm", "--security-opt", "label=disable", "busybox", "true");
        assertEquals(125, opt.code());
        assertTrue(opt.err().startsWith("mini: --security-opt label=disable is not supported"), opt.err());
    }

    @Test
    void noDescriptorOfTheRuntimeLeadsOutOfTheRoot() throws Exception {
        // CVE-2024-21626: a working directory /proc/self/fd/N naming a host directory the runtime holds open
        for (int fd = 3; fd <= 12; fd++) {
            MiniCommandTest.Run r = mini("run", "--rm", "-w", "/proc/self/fd/" + fd, "busybox", "pwd");
            assertEquals(125, r.code(), "fd " + fd + ": " + r.out());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("mini: the working directory /proc/self/fd/" + fd), r.err());
        }
    }

    @Test
    void aNameThatIsAPathIsRefused() throws Exception {
        MiniCommandTest.Run r = mini("run", "--rm", "--name", "../../../../tmp/mini-escape", "busybox", "true");
        assertEquals(125, r.code());
        assertTrue(r.err().startsWith("mini: invalid container name \"../../../../tmp/mini-escape\""), r.err());
        assertFalse(Files.exists(Path.of("/tmp/mini-escape")));
    }
}
