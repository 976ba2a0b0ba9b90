package dev.minidocker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.cgroup.DevicesController;
import dev.minidocker.container.net.NatTable;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.sys.CloneFlags;
import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;
import dev.minidocker.vmm.kvm.KvmIoctl;
import dev.minidocker.vmm.kvm.KvmKind;
import picocli.CommandLine.Command;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check what this machine offers mini: one line per check, OK, WARN or FAIL with a fix.",
                "Exit status 1 if any check failed."})
final class DoctorCommand implements Callable<Integer> {
    enum Level { OK, WARN, FAIL }

    record Check(Level level, String name, String detail, String fix) {
        String line() {
            String s = String.format("%-4s  %-20s %s", level, name, detail);
            return fix == null || level == Level.OK ? s : s + "  (fix: " + fix + ")";
        }
    }

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        checks.add(root());
        checks.add(kernel());
        boolean root = Native.libc().geteuid() == 0;
        for (Namespace ns : Namespace.values()) {
            if (root && ns != Namespace.USER) {
                checks.add(namespace(ns)); // a user's own namespaces are made in its user namespace: the lines below
            }
        }
        checks.addAll(UserNamespaceChecks.all());
        checks.add(cgroups());
        checks.add(overlay());
        checks.add(writableLayers());
        checks.add(propagation());
        checks.add(seccomp());
        checks.add(devices());
        checks.add(nftables());
        checks.add(kvm());
        checks.add(java());
        checks.forEach(c -> System.out.println(c.line()));
        return checks.stream().anyMatch(c -> c.level == Level.FAIL) ? 1 : 0;
    }

    /** libseccomp, which compiles a container's seccomp filter (mini run's default profile, a spec's linux.seccomp). */
    static Check seccomp() {
        try {
            return new Check(Level.OK, "seccomp", "libseccomp " + dev.minidocker.sys.SeccompContext.version(), null);
        } catch (UnsatisfiedLinkError e) {
            return new Check(Level.FAIL, "seccomp", "libseccomp is missing: containers cannot get a filter",
                    "apt-get install libseccomp2");
        }
    }

    /**
     * What keeps a container from opening the host's devices: the v1 devices controller, or on cgroup
     * v2 a BPF device program on the container's cgroup (tried here: loaded, then closed), or else
     * no CAP_MKNOD.
     */
    static Check devices() {
        boolean v1 = Files.exists(Path.of("/sys/fs/cgroup/devices/devices.allow"));
        String bpfError = null;
        try {
            DevicesController.checkProgramLoads();
        } catch (SyscallException e) {
            bpfError = e.getMessage();
        }
        if (v1) {
            return new Check(Level.OK, "devices", "cgroup v1 devices controller: only the default nodes open"
                    + (bpfError == null ? "; with --cgroup-driver v2, a BPF device program (it loads here)" : ""), null);
        }
        return bpfError == null
                ? new Check(Level.OK, "devices", "cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program on each container's cgroup:"
                        + " only the default nodes open", null)
                : new Check(Level.WARN, "devices", "the BPF device program does not load (" + bpfError + "): containers lose"
                        + " CAP_MKNOD instead, so they cannot make nodes for host devices", null);
    }

    static Check root() {
        int uid = Native.libc().geteuid();
        return uid == 0 ? new Check(Level.OK, "root", "running as uid 0", null)
                : new Check(Level.WARN, "root", "running as uid " + uid + ": mini runs rootless (in a user namespace of yours;"
                        + " network none, no cgroup limits)", "run mini with sudo for everything");
    }

    static Check kernel() {
        String release = read("/proc/sys/kernel/osrelease").trim();
        String[] v = release.split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        boolean ok = major > 5 || (major == 5 && minor >= 9); // close_range(2) arrived in 5.9, CLOEXEC flag 5.11
        return ok ? new Check(Level.OK, "kernel", "Linux " + release, null)
                : new Check(Level.FAIL, "kernel", "Linux " + release + " is older than 5.11", "use a kernel 5.11 or newer");
    }

    /** Tries unshare(2) on a throwaway thread, which then ends with its namespace. */
    static Check namespace(Namespace ns) {
        String name = "namespace " + ns.procName();
        if (!Files.exists(Path.of("/proc/self/ns", ns.procName()))) {
            return new Check(Level.FAIL, name, "not in this kernel", "enable CONFIG_" + ns.name() + "_NS in the kernel");
        }
        AtomicReference<SyscallException> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Syscalls.unshare(ns.flag());
            } catch (SyscallException e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SyscallException e = failure.get();
        if (e == null) {
            return new Check(Level.OK, name, "unshare(" + CloneFlags.describe(ns.flag()) + ") works", null);
        }
        return new Check(Level.FAIL, name, "unshare failed: " + e.errnoName(),
                e.errno() == Errno.EPERM ? "run as root" : "check the kernel configuration");
    }

    static Check cgroups() {
        String mode;
        try {
            mode = Cgroups.detect().name().toLowerCase(java.util.Locale.ROOT); // the same answer the drivers use
        } catch (CgroupException e) {
            return new Check(Level.FAIL, "cgroups", e.getMessage(), "mount cgroup2 on /sys/fs/cgroup");
        }
        List<String> controllers = new ArrayList<>();
        if (mode.equals("v2")) {
            for (String c : read("/sys/fs/cgroup/cgroup.controllers").trim().split("\\s+")) {
                if (!c.isEmpty()) controllers.add(c);
            }
        } else {
            for (String line : read("/proc/self/mountinfo").split("\n")) {
                String[] halves = line.split(" - ");
                if (halves.length == 2 && halves[1].startsWith("cgroup ")) {
                    String[] f = halves[1].split(" ");
                    for (String opt : f[f.length - 1].split(",")) {
                        if (List.of("memory", "cpu", "pids", "cpuset", "cpuacct", "blkio", "io", "devices", "freezer").contains(opt)) {
                            controllers.add(opt);
                        }
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String need : List.of("memory", "cpu", "pids")) {
            if (!controllers.contains(need)) missing.add(need);
        }
        String detail = "mode " + mode + ", controllers: " + (controllers.isEmpty() ? "none" : String.join(" ", controllers));
        return missing.isEmpty() ? new Check(Level.OK, "cgroups", detail, null)
                : new Check(Level.WARN, "cgroups", detail + "; missing " + String.join(" ", missing),
                        mode.equals("v2") ? "enable them in the parent's cgroup.subtree_control" : "mount those v1 hierarchies");
    }

    /**
     * What bounds a container's writable layer: nothing here. An overlay's upper directory is an
     * ordinary directory of the store's file system, so only a project quota (xfs with prjquota)
     * could cap one container; docker's --storage-opt size= needs exactly that, and mini does not
     * set quotas. The store's free space is what every container's writes come out of.
     */
    static Check writableLayers() {
        Path p = Cli.root();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            java.nio.file.FileStore fs = Files.getFileStore(p == null ? Path.of("/") : p);
            long freeMb = fs.getUsableSpace() / (1024 * 1024);
            return new Check(Level.WARN, "writable layers", "not bounded per container: upper directories live on the store's "
                    + fs.type() + " (" + freeMb + " MB free); --storage-opt size= is not supported (it needs xfs project quotas)",
                    "give MINI_ROOT a file system of its own to bound all containers together");
        } catch (java.io.IOException e) {
            return new Check(Level.WARN, "writable layers", "cannot read the store's file system: " + e.getMessage(), null);
        }
    }

    static Check overlay() {
        boolean has = dev.minidocker.container.fs.RootFilesystem.overlayAvailable();
        return has ? new Check(Level.OK, "overlayfs", "available: container roots are overlays of the image layers", null)
                : new Check(Level.WARN, "overlayfs", "not available: each container gets a flattened copy (slower, more disk)",
                        "modprobe overlay");
    }

    static Check propagation() {
        for (String line : read("/proc/self/mountinfo").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 6 && f[4].equals("/")) {
                boolean shared = line.split(" - ")[0].contains("shared:");
                return new Check(Level.OK, "propagation of /", (shared ? "shared" : "private")
                        + (shared ? " (each container makes its mounts private first, so nothing leaks back)" : ""), null);
            }
        }
        return new Check(Level.WARN, "propagation of /", "cannot find / in /proc/self/mountinfo", "mount /proc");
    }

    static Check kvm() {
        Path dev = Path.of("/dev/kvm");
        if (!Files.exists(dev)) {
            return new Check(Level.WARN, "kvm", "/dev/kvm is missing: 'mini vm' will not run",
                    "load kvm_intel or kvm_amd (modprobe), or enable virtualisation in the firmware");
        }
        int fd = Native.libc().open(dev.toString(), Mman.O_RDWR | Mman.O_CLOEXEC, 0);
        if (fd < 0) {
            return new Check(Level.WARN, "kvm", "/dev/kvm: " + Errno.name(Native.lastErrno()),
                    "run as root or add yourself to the kvm group");
        }
        try {
            int version = Native.libc().ioctl(fd, KvmIoctl.KVM_GET_API_VERSION, 0L);
            String kind = KvmKind.detect().description();
            if (version != KvmIoctl.KVM_API_VERSION) {
                return new Check(Level.FAIL, "kvm", "API version " + version + ", mini needs " + KvmIoctl.KVM_API_VERSION,
                        "use a standard Linux KVM");
            }
            return new Check(Level.OK, "kvm", "/dev/kvm API version " + version + ", " + kind, null);
        } finally {
            Native.libc().close(fd);
        }
    }

    /** NAT and published ports are an nftables table; a host with only legacy iptables is told so. */
    static Check nftables() {
        String nft;
        try {
            nft = NatTable.nftBinary();
        } catch (IllegalStateException e) {
            boolean iptables = Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables"));
            return new Check(Level.FAIL, "nftables", iptables ? "nft not found, only iptables: mini's NAT and -p use nftables"
                    : "nft not found: no NAT or published ports", "apt-get install nftables, or run with --network none|host");
        }
        if (Native.libc().geteuid() != 0) {
            return new Check(Level.WARN, "nftables", nft + " found; whether nf_tables works shows only to root", "run doctor with sudo");
        }
        try {
            Process p = new ProcessBuilder(nft, "list", "tables").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) {
                return new Check(Level.OK, "nftables", "nf_tables works (" + nft + " list tables)", null);
            }
            return new Check(Level.FAIL, "nftables", "nft list tables: " + out.lines().findFirst().orElse("exit " + p.exitValue()),
                    "modprobe nf_tables, or run with --network none|host");
        } catch (IOException e) {
            return new Check(Level.FAIL, "nftables", "cannot run " + nft + ": " + e.getMessage(), "apt-get install nftables");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(Level.WARN, "nftables", "interrupted", null);
        }
    }

    static Check java() {
        int feature = Runtime.version().feature();
        return feature >= 17 ? new Check(Level.OK, "java", "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")", null)
                : new Check(Level.FAIL, "java", "Java " + Runtime.version(), "install Java 17 or newer");
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }
}
