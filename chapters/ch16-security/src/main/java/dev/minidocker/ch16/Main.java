package dev.minidocker.ch16;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.cgroup.CgroupMode;
import dev.minidocker.container.bpf.BpfInsn;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.cgroup.DeviceFilter;
import dev.minidocker.container.cgroup.DevicesController;
import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.security.Capability;
import dev.minidocker.container.security.SecurityOptions;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * Chapter 16: container security. Root in a container is still root to the kernel; what keeps
 * it in is a set of defaults applied just before execve: capabilities, a seccomp filter, masked
 * and read-only paths, the devices rules, and the pivot_root of chapter 4. The demo tries each
 * classic escape twice, with docker's defaults and with --privileged (none of them), and never
 * changes the host.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 16: Container security: capabilities, seccomp, devices and the escapes they close");
        Demos.requireRootOrExplain(n);
        capabilities(n);
        seccomp(n);
        corePattern(n);
        maskedPaths(n);
        devices(n);
        deviceProgram(n);
        chroot(n);
        runtimeDescriptors(n);
        n.conclude("a container is contained by what it cannot do: no default alone does it, and --privileged undoes all but pivot_root");
    }

    private static void capabilities(Narrator n) {
        n.step("The capability sets of root in a container: mini run, then mini run --privileged",
                "CapEff a80425fb: docker's 14 of the kernel's " + (Capability.lastCap() + 1) + "; CapAmb empty; privileged has all of them");
        List<String> lines = Escapes.lines(Escapes.shown(Escapes.run(Escapes.DEFAULTS, Escapes.STATUS)));
        lines.forEach(n::inside);
        for (String l : lines) {
            if (l.startsWith("CapEff:")) {
                n.say("CapEff decoded: " + String.join(" ", Capability.names(Long.parseUnsignedLong(l.substring(7).trim(), 16))));
            }
        }
        n.say("with --privileged:");
        Escapes.lines(Escapes.shown(Escapes.run(Escapes.PRIVILEGED, Escapes.STATUS))).forEach(n::inside);
    }

    private static void seccomp(Narrator n) {
        n.step("The default seccomp filter as the kernel gets it: classic BPF compiled by libseccomp",
                "it checks the architecture first, then compares the call number; what it does not allow returns EPERM");
        ContainerSpec.Seccomp spec = Escapes.DEFAULTS.seccomp();
        List<FilterDump.SockFilter> program = FilterDump.compiled(spec);
        Map<Integer, String> calls = FilterDump.callNames(spec);
        List<String> listing = FilterDump.listing(program, calls);
        n.host(program.size() + " instructions (" + program.size() * FilterDump.SOCK_FILTER + " bytes) for "
                + calls.size() + " calls the profile names; the first 14 and the last 4:");
        listing.subList(0, Math.min(14, listing.size())).forEach(n::host);
        n.host("  ...");
        listing.subList(Math.max(0, listing.size() - 4), listing.size()).forEach(n::host);
        n.say("a new user namespace needs no capability at all: only the filter refuses it (unshare is allowed only with CAP_SYS_ADMIN)");
        n.inside("mini run: " + Escapes.shown(Escapes.run(Escapes.DEFAULTS, Escapes.UNSHARE)));
        n.inside("--privileged: " + Escapes.shown(Escapes.run(Escapes.PRIVILEGED, Escapes.UNSHARE)));
    }

    private static void corePattern(Narrator n) throws IOException {
        n.step("The core_pattern escape: a pattern starting with | makes the kernel run that program as root on the host at the next crash",
                "mini run: /proc/sys is read-only; --privileged: the write goes through (the probe writes back what it read)");
        Path file = Path.of("/proc/sys/kernel/core_pattern");
        String before = Files.readString(file).strip();
        n.host("cat /proc/sys/kernel/core_pattern -> " + before);
        n.inside("mini run: " + Escapes.shown(Escapes.run(Escapes.DEFAULTS, Escapes.CORE_PATTERN)));
        n.inside("--privileged: " + Escapes.shown(Escapes.run(Escapes.PRIVILEGED, Escapes.CORE_PATTERN)));
        n.host("cat /proc/sys/kernel/core_pattern -> " + Files.readString(file).strip()
                + (Files.readString(file).strip().equals(before) ? " (unchanged)" : " (CHANGED!)"));
    }

    private static void maskedPaths(Narrator n) {
        n.step("Masked paths: /dev/null or an empty read-only tmpfs over what tells about (or acts on) the host",
                "with the defaults they are empty; without them, the host's timers and firmware show through");
        Escapes.lines(Escapes.shown(Escapes.run(Escapes.DEFAULTS, Escapes.MASKED))).forEach(l -> n.inside("mini run: " + l));
        Escapes.lines(Escapes.shown(Escapes.run(Escapes.PRIVILEGED, Escapes.MASKED))).forEach(l -> n.inside("--privileged: " + l));
    }

    private static void devices(Narrator n) {
        Escapes.BlockDevice d = Escapes.hostBlockDevice();
        n.step("Devices: CAP_MKNOD (a default) makes a node for the host's block device " + d.name() + " (" + d.major() + ":"
                        + d.minor() + "); can it be opened?",
                "mknod works every time; the open is refused by the devices rules (v1: the devices controller, v2: a BPF"
                        + " program), which --privileged lifts; /dev/null always opens");
        n.host("this host's cgroups: " + Cgroups.detect() + (Cgroups.detect() == CgroupMode.HYBRID
                ? " (v1 hierarchies, and a v2 tree: both drivers are tried)" : ""));
        for (String driver : Escapes.cgroupDrivers()) {
            String how = driver.equals("v1") ? "devices.allow/devices.deny" : "a BPF_PROG_TYPE_CGROUP_DEVICE program";
            Escapes.lines(Escapes.shown(Escapes.run(Escapes.DEFAULTS, Escapes.openHostBlockDevice(d), driver)))
                    .forEach(l -> n.inside("--cgroup-driver " + driver + " (" + how + "): " + l));
        }
        Escapes.lines(Escapes.shown(Escapes.run(Escapes.PRIVILEGED, Escapes.openHostBlockDevice(d))))
                .forEach(l -> n.inside("--privileged: " + l));
    }

    private static void deviceProgram(Narrator n) {
        n.step("The v2 device program for docker's rules, as bpf(BPF_PROG_LOAD) receives it",
                "the prologue unpacks struct bpf_cgroup_dev_ctx into r2 to r5; each rule, last first, is a few tests that jump past it, then r0 = 1 or 0 and exit");
        List<BpfInsn> program = DeviceFilter.program(DevicesController.DEFAULT_RULES);
        n.host(program.size() + " instructions (" + program.size() * BpfInsn.SIZE + " bytes) for "
                + DevicesController.DEFAULT_RULES.size() + " rules; the prologue, the last rule (c 10:200 rwm, /dev/net/tun) and the end:");
        for (int pc = 0; pc < program.size(); pc++) {
            if (pc < 11 || pc >= program.size() - 4) {
                n.host(String.format("%3d: %s", pc, program.get(pc)));
            } else if (pc == 11) {
                n.host("  ...");
            }
        }
    }

    private static void chroot(Narrator n) throws IOException {
        Path dir = Files.createTempDirectory("ch16-");
        Path secret = Escapes.hostSecret(dir);
        try {
            Path root = Escapes.rootWithEscape(dir);
            n.step("The chroot escape of chapter 4, against docker's defaults (which keep CAP_SYS_CHROOT)",
                    "isolated by chroot alone the defaults do not stop it; pivot_root does, with or without the capability");
            n.host("echo \"the host's secret\" > " + secret);
            n.inside("chroot isolation, mini run: " + Escapes.chrootEscape(root, secret, Isolation.CHROOT, Escapes.DEFAULTS));
            SecurityOptions noChroot = new SecurityOptions(null, List.of("SYS_CHROOT"), false, null, null, null);
            n.inside("chroot isolation, --cap-drop SYS_CHROOT: " + Escapes.chrootEscape(root, secret, Isolation.CHROOT, noChroot));
            n.inside("pivot_root, mini run: " + Escapes.chrootEscape(root, secret, Isolation.PIVOT_ROOT, Escapes.DEFAULTS));
            n.inside("pivot_root, --privileged: " + Escapes.chrootEscape(root, secret, Isolation.PIVOT_ROOT, Escapes.PRIVILEGED));
        } finally {
            Files.deleteIfExists(secret);
            FileTrees.delete(dir);
        }
    }

    private static void runtimeDescriptors(Narrator n) {
        n.step("CVE-2019-5736: a runtime process visible in the container; exec into a running one and list what it sees",
                "only the container's own programs: no JVM ever enters its PID namespace, so there is no runtime /proc/PID/exe to open");
        Escapes.lines(Escapes.execSees()).forEach(n::inside);
        n.step("CVE-2024-21626: a working directory /proc/self/fd/N, where N is a descriptor the runtime holds on a host directory",
                "each is refused before execve: the init stage's descriptors are its JVM's files and pipes, and after chdir it checks"
                        + " that the directory it is in lies inside the root");
        for (int fd = 3; fd <= 7; fd++) {
            dev.minidocker.container.engine.OneShot.Outcome r = Escapes.workingDirectoryThroughFd(fd);
            n.inside("-w /proc/self/fd/" + fd + ": exit " + r.exitCode() + ", " + Escapes.shown(r).lines().reduce((a, b) -> b).orElse(""));
        }
    }
}
