package dev.minidocker.ch16;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.ch04.EscapeDemo;
import dev.minidocker.chapter.Demos;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.security.SecurityOptions;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * The escapes of the chapter, each a probe run inside a busybox container under given security
 * options: docker's defaults ({@link #DEFAULTS}, what {@code mini run} gives) or none of them
 * ({@link #PRIVILEGED}, {@code mini run --privileged}). The demo prints what they show; the tests
 * assert it. No probe changes the host: core_pattern is written with the value just read from it,
 * the host's disk is opened for reading and never read, device nodes are made in the container's /tmp.
 */
public final class Escapes {
    /** What {@code mini run} gives a container without flags. */
    public static final SecurityOptions DEFAULTS = SecurityOptions.defaults();
    /** {@code mini run --privileged}: every capability, no seccomp, no masks, every device, writable /sys. */
    public static final SecurityOptions PRIVILEGED = new SecurityOptions(null, null, true, null, null, null);

    /** The capability lines of /proc/self/status, then the seccomp mode and no_new_privs. */
    public static final String STATUS = "grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|Seccomp|NoNewPrivs):' /proc/self/status";

    /** Writes core_pattern back with the value it read: refused, or "written" (and the host is unchanged either way). */
    public static final String CORE_PATTERN = "v=$(cat /proc/sys/kernel/core_pattern);"
            + " { echo \"$v\" > /proc/sys/kernel/core_pattern; } 2>&1 && echo 'written (the same value back)' || echo refused";

    /** A new user namespace: needs no capability at all, only the seccomp filter refuses it. */
    public static final String UNSHARE = "unshare -U true 2>&1 && echo 'unshare -U: a new user namespace'";

    /** Two masked files and a masked directory: how many lines and entries. */
    public static final String MASKED = "echo \"/proc/interrupts: $(wc -l < /proc/interrupts) lines\";"
            + " echo \"/proc/timer_list: $(wc -l < /proc/timer_list) lines\"; echo \"/sys/firmware: $(ls /sys/firmware | wc -l) entries\"";

    private Escapes() {
    }

    /** Runs script with sh -c in a busybox container under these options. */
    public static OneShot.Outcome run(SecurityOptions security, String script) {
        return run(security, script, null);
    }

    /** The same in a cgroup of the given driver ("v1", "v2", as --cgroup-driver; null for the host's mode). */
    public static OneShot.Outcome run(SecurityOptions security, String script, String cgroupDriver) {
        OneShot s = Demos.container("sh", "-c", script);
        s.security = security;
        s.cgroupDriver = cgroupDriver;
        return s.run();
    }

    /** The cgroup drivers this host runs: both on a hybrid host (v2 there is the unified tree), else its own. */
    public static List<String> cgroupDrivers() {
        return switch (Cgroups.detect()) {
            case V2 -> List.of("v2");
            case V1 -> List.of("v1");
            case HYBRID -> List.of("v1", "v2");
        };
    }

    /** A block device of the host: its name in /dev and its numbers. */
    public record BlockDevice(String name, int major, int minor) {
        public String numbers() {
            return major + " " + minor;
        }
    }

    /**
     * The first block device the host itself can open for reading: a disk of /proc/partitions, or
     * else loop0 (some sandboxes refuse even the host's root its own disk).
     */
    public static BlockDevice hostBlockDevice() {
        List<BlockDevice> candidates = new java.util.ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/partitions"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[0].matches("\\d+")) {
                    candidates.add(new BlockDevice(f[3], Integer.parseInt(f[0]), Integer.parseInt(f[1])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        candidates.add(new BlockDevice("loop0", 7, 0));
        for (BlockDevice d : candidates) {
            try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/" + d.name())) {
                return d; // opened, nothing read
            } catch (IOException e) {
                // not this one
            }
        }
        throw new IllegalStateException("the host cannot open any block device for reading (not even /dev/loop0): modprobe loop");
    }

    /** mknod of that device in the container's /tmp, then an open for reading (nothing is read). */
    public static String openHostBlockDevice(BlockDevice d) {
        return "mknod /tmp/" + d.name() + " b " + d.numbers() + " && echo 'mknod /tmp/" + d.name() + " b " + d.numbers() + ": made';"
                + " (exec 3</tmp/" + d.name() + ") 2>&1 && echo 'open /tmp/" + d.name() + ": opened, the device is readable';"
                + " (exec 3</dev/null) && echo 'open /dev/null: opened'; true";
    }

    /**
     * Chapter 4's chroot escape (chroot into a subdirectory, walk up with .., chroot(".")), in a
     * copy of busybox's root under these options and isolation; prints ESCAPED: and the secret, or CONTAINED.
     */
    public static String chrootEscape(Path root, Path secret, Isolation isolation, SecurityOptions security) {
        OneShot s = Demos.container("/escape", secret.toString());
        s.rootDirectory = root;
        s.isolation = isolation;
        s.security = security;
        OneShot.Outcome r = s.run();
        return (r.stdout() + r.stderr()).strip();
    }

    /** A root with busybox and chapter 4's escape program, and the host-only file it looks for. */
    public static Path rootWithEscape(Path dir) {
        return EscapeDemo.rootWithEscape(Demos.busybox(), dir);
    }

    public static Path hostSecret(Path dir) {
        return EscapeDemo.hostSecret(dir);
    }

    /** The working directory /proc/self/fd/N: a descriptor the runtime might hold on a host directory (CVE-2024-21626). */
    public static OneShot.Outcome workingDirectoryThroughFd(int fd) {
        OneShot s = Demos.container("pwd");
        s.security = DEFAULTS;
        s.cwd = "/proc/self/fd/" + fd;
        return s.run();
    }

    /**
     * exec into a running container (with the defaults), as {@code mini exec} does: the exec'd
     * shell lists every process it can see, PID, name and executable, and the container prints it.
     */
    public static String execSees() {
        // PID 1 waits on a FIFO (no polling, so no short-lived processes) until the exec has looked
        OneShot s = Demos.container("sh", "-c", "mkfifo /tmp/looked && read x < /tmp/looked && cat /tmp/seen");
        s.security = DEFAULTS;
        ContainerRuntime runtime = new ContainerRuntime(ForegroundRun.runtimeRoot(Demos.root()));
        OneShot.Outcome r = s.run((container, out) -> {
            try {
                ContainerSpec.Process p = runtime.spec(container.id()).process();
                ContainerSpec.Process exec = new ContainerSpec.Process(false, null, p.user(), List.of("sh", "-c",
                        "while [ ! -p /tmp/looked ]; do sleep 0.05; done;"
                                + " for d in /proc/[0-9]*; do echo \"PID ${d#/proc/}: $(cat $d/comm) $(readlink $d/exe)\"; done > /tmp/seen;"
                                + " echo > /tmp/looked"), p.env(), "/", p.capabilities(), null, p.noNewPrivileges(), null, null, null);
                runtime.exec(container.id(), exec, null, false, false).await();
            } catch (RuntimeException e) {
                container.kill(9); // PID 1 would wait for ever
                throw e;
            }
        });
        return shown(r);
    }

    /** Lines of both outputs, for printing. */
    public static String shown(OneShot.Outcome r) {
        return (r.stdout() + r.stderr()).strip();
    }

    static List<String> lines(String s) {
        return s.lines().filter(l -> !l.isBlank()).toList();
    }
}
