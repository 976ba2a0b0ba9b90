package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v2: one tree, every controller in it. A controller is usable in a cgroup only when its
 * parent lists it in {@code cgroup.subtree_control} (delegation), so the driver enables memory,
 * cpu and pids at the top, then in {@code mini-docker/}, and puts each container in
 * {@code mini-docker/<id>}.
 */
public final class CgroupV2Driver implements CgroupDriver {
    public static final Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");
    static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids");

    private final Path root;

    /** @param root where the v2 tree is mounted: {@code /sys/fs/cgroup}, or a fake tree in tests */
    public CgroupV2Driver(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "v2";
    }

    // tag::create[]
    @Override
    public Cgroup create(String containerId, Limits limits) {
        List<String> needed = needed(limits);
        List<String> offered = controllers(root);
        for (String c : needed) {
            if (!offered.contains(c)) {
                throw missing(c, root, offered);
            }
        }
        List<String> wanted = new ArrayList<>(CONTROLLERS);
        wanted.retainAll(offered); // the rest only for stats: use what is there
        Path dir = root.resolve(CgroupDriver.relativePath(containerId));
        Path parent = dir.getParent();
        // v2 hands a controller down one level at a time: enable it in every ancestor's subtree_control
        enable(root, wanted);
        Path ancestor = root;
        for (Path name : root.relativize(parent)) {
            ancestor = ancestor.resolve(name);
            mkdir(ancestor);
            enable(ancestor, wanted);
        }
        mkdir(dir);
        try {
            List<String> delegated = controllers(dir);
            for (String c : needed) {
                if (!delegated.contains(c)) {
                    throw new CgroupException("controller " + c + " was enabled in " + parent.resolve("cgroup.subtree_control")
                            + " but " + dir.resolve("cgroup.controllers") + " does not list it: check the delegation of " + parent);
                }
            }
            writeLimits(dir, limits);
        } catch (RuntimeException e) {
            throw Teardown.undo(dir, e);
        }
        return new CgroupV2(dir);
    }
    // end::create[]

    // tag::limits[]
    private static void writeLimits(Path dir, Limits limits) {
        if (limits.memoryBytes() != null) {
            CgroupFile.write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
            Path swapMax = dir.resolve("memory.swap.max"); // absent when the kernel has no swap accounting
            if (Files.exists(swapMax)) {
                long swap = limits.swapOnlyBytes();
                CgroupFile.write(swapMax, swap == -1 ? "max" : Long.toString(swap));
            }
        }
        if (limits.cpus() != null) {
            CgroupFile.write(dir.resolve("cpu.max"), CpuQuota.fromCpus(limits.cpus()).toCpuMax());
        }
        if (limits.cpuWeight() != null) {
            CgroupFile.write(dir.resolve("cpu.weight"), Integer.toString(limits.cpuWeight()));
        }
        if (limits.pids() != null) {
            CgroupFile.write(dir.resolve("pids.max"), Integer.toString(limits.pids()));
        }
    }
    // end::limits[]

    static List<String> needed(Limits limits) {
        List<String> needed = new ArrayList<>();
        if (limits.memoryBytes() != null) {
            needed.add("memory");
        }
        if (limits.cpus() != null || limits.cpuWeight() != null) {
            needed.add("cpu");
        }
        if (limits.pids() != null) {
            needed.add("pids");
        }
        return needed;
    }

    private static List<String> controllers(Path dir) {
        String text = CgroupFile.read(dir.resolve("cgroup.controllers"));
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
    }

    private static CgroupException missing(String controller, Path root, List<String> offered) {
        // a v1 hierarchy of the same controller beside this tree: a hybrid host (v2 at .../unified)
        boolean hybrid = root.getParent() != null && Files.isDirectory(root.resolveSibling(controller));
        String hint = hybrid
                ? "this looks like a hybrid host whose controllers are on the v1 hierarchies: use --cgroup-driver v1"
                : "enable it in the parent's cgroup.subtree_control, or boot with it (systemd.unified_cgroup_hierarchy=1)";
        return new CgroupException("cgroup v2 controller " + controller + " is not available at " + root
                + " (cgroup.controllers: " + (offered.isEmpty() ? "none" : String.join(" ", offered)) + "): " + hint);
    }

    // tag::delegate[]
    /** Writes "+memory +cpu +pids" to {@code dir/cgroup.subtree_control} for those not yet enabled. */
    private static void enable(Path dir, List<String> controllers) {
        Path file = dir.resolve("cgroup.subtree_control");
        List<String> enabled = Arrays.asList(CgroupFile.read(file).split("\\s+"));
        StringBuilder line = new StringBuilder();
        for (String c : controllers) {
            if (!enabled.contains(c)) {
                line.append(line.length() == 0 ? "" : " ").append('+').append(c);
            }
        }
        if (line.length() == 0) {
            return;
        }
        try {
            CgroupFile.write(file, line.toString());
        } catch (CgroupException e) {
            if (e.getMessage().endsWith("Device or resource busy")) {
                // the "no internal processes" rule: a cgroup with processes of its own cannot hand controllers down
                throw new CgroupException("cannot enable " + line + " in " + file + ": " + dir
                        + " has processes of its own (no internal processes rule); move them into a child cgroup first", e);
            }
            throw e;
        }
    }
    // end::delegate[]

    private static void mkdir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw CgroupFile.failure("create cgroup", dir, e);
        }
    }

    @Override
    public Optional<Cgroup> find(String containerId) {
        Path dir = root.resolve(CgroupDriver.relativePath(containerId));
        return Files.isDirectory(dir) ? Optional.of(new CgroupV2(dir)) : Optional.empty();
    }

    @Override
    public List<String> stale() {
        return Teardown.emptyChildren(root.resolve(PARENT));
    }

    @Override
    public void removeStale(String containerId) {
        Teardown.killAndRemove(root.resolve(CgroupDriver.relativePath(containerId)));
    }

    /** One container's v2 cgroup: a single directory. */
    static final class CgroupV2 implements Cgroup {
        private final Path dir;

        CgroupV2(Path dir) {
            this.dir = dir;
        }

        @Override
        public List<Path> directories() {
            return List.of(dir);
        }

        @Override
        public void addProcess(int pid) {
            CgroupFile.write(dir.resolve("cgroup.procs"), Integer.toString(pid));
        }

        // tag::stats[]
        @Override
        public CgroupStats stats() {
            long usageMicros = CgroupFile.readKey(dir.resolve("cpu.stat"), "usage_usec");
            return new CgroupStats(
                    CgroupFile.readLongIfPresent(dir.resolve("memory.current")),
                    CgroupFile.readLongIfPresent(dir.resolve("memory.peak")), // Linux 5.19+
                    CgroupFile.readLongIfPresent(dir.resolve("memory.max")),
                    usageMicros < 0 ? -1 : usageMicros * 1000,
                    (int) CgroupFile.readLongIfPresent(dir.resolve("pids.current")),
                    (int) CgroupFile.readLongIfPresent(dir.resolve("pids.max")),
                    Math.max(0, CgroupFile.readKey(dir.resolve("memory.events"), "oom_kill")));
        }
        // end::stats[]

        @Override
        public boolean oomKilled() {
            return CgroupFile.readKey(dir.resolve("memory.events"), "oom_kill") > 0;
        }

        @Override
        public void destroy() {
            Teardown.killAndRemove(dir);
        }

        @Override
        public Path path() {
            return dir;
        }

        @Override
        public Path file(String name) {
            return dir.resolve(name);
        }
    }
}
