package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * cgroup v1: one hierarchy per controller, each mounted at {@code /sys/fs/cgroup/<controller>}.
 * A container's cgroup is therefore several directories, {@code <controller>/mini-docker/<id>},
 * and a process must be added to each of them.
 */
public final class CgroupV1Driver implements CgroupDriver {
    public static final Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");
    /** cpuacct counts CPU time; it is a hierarchy of its own unless mounted together with cpu. */
    static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids", "devices");

    private final Path root;

    /** @param root the directory holding the hierarchies: {@code /sys/fs/cgroup}, or a fake tree in tests */
    public CgroupV1Driver(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "v1";
    }

    private boolean mounted(String controller) {
        return Files.exists(root.resolve(controller).resolve("cgroup.procs"));
    }

    // tag::create[]
    @Override
    public Cgroup create(String containerId, Limits limits) {
        for (String c : CgroupV2Driver.needed(limits)) {
            if (!mounted(c)) {
                throw new CgroupException("cgroup v1 controller " + c + " is not mounted at " + root.resolve(c)
                        + ": mount it (mkdir " + root.resolve(c) + " && mount -t cgroup -o " + c + " none " + root.resolve(c)
                        + ") or run without that limit");
            }
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String c : CONTROLLERS) {
            if (mounted(c)) {
                dirs.put(c, root.resolve(c).resolve(CgroupDriver.relativePath(containerId)));
            }
        }
        CgroupV1 cgroup = new CgroupV1(dirs);
        try {
            for (Path dir : dirs.values()) {
                Files.createDirectories(dir);
            }
            writeLimits(dirs, limits);
        } catch (IOException e) {
            throw undo(dirs, CgroupFile.failure("create cgroup", dirs.values().iterator().next(), e));
        } catch (RuntimeException e) {
            throw undo(dirs, e);
        }
        return cgroup;
    }
    // end::create[]

    private static RuntimeException undo(Map<String, Path> dirs, RuntimeException failure) {
        for (Path dir : dirs.values()) {
            Teardown.undo(dir, failure);
        }
        return failure;
    }

    // tag::limits[]
    private static void writeLimits(Map<String, Path> dirs, Limits limits) {
        if (limits.memoryBytes() != null) {
            Path memory = dirs.get("memory");
            // the limit first: the kernel insists on memsw >= limit at every moment
            CgroupFile.write(memory.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
            Path memsw = memory.resolve("memory.memsw.limit_in_bytes"); // only with swap accounting
            if (Files.exists(memsw)) {
                CgroupFile.write(memsw, Long.toString(limits.memoryPlusSwapBytes()));
            }
        }
        if (limits.cpus() != null) {
            CpuQuota quota = CpuQuota.fromCpus(limits.cpus());
            Path cpu = dirs.get("cpu");
            CgroupFile.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(quota.periodMicros()));
            CgroupFile.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(quota.quotaMicros()));
        }
        if (limits.cpuWeight() != null) {
            CgroupFile.write(dirs.get("cpu").resolve("cpu.shares"), Long.toString(CpuWeight.toShares(limits.cpuWeight())));
        }
        if (limits.pids() != null) {
            CgroupFile.write(dirs.get("pids").resolve("pids.max"), Integer.toString(limits.pids()));
        }
    }
    // end::limits[]

    @Override
    public Optional<Cgroup> find(String containerId) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String c : CONTROLLERS) {
            Path dir = root.resolve(c).resolve(CgroupDriver.relativePath(containerId));
            if (Files.isDirectory(dir)) {
                dirs.put(c, dir);
            }
        }
        return dirs.isEmpty() ? Optional.empty() : Optional.of(new CgroupV1(dirs));
    }

    @Override
    public List<String> stale() {
        TreeSet<String> ids = new TreeSet<>();
        for (String c : CONTROLLERS) {
            Path parent = root.resolve(c).resolve(PARENT);
            for (String id : Teardown.emptyChildren(parent)) {
                boolean emptyEverywhere = true;
                for (String other : CONTROLLERS) {
                    Path dir = root.resolve(other).resolve(PARENT).resolve(id);
                    emptyEverywhere &= Teardown.processes(dir).isEmpty();
                }
                if (emptyEverywhere) {
                    ids.add(id);
                }
            }
        }
        return new ArrayList<>(ids);
    }

    @Override
    public void removeStale(String containerId) {
        for (String c : CONTROLLERS) {
            Teardown.killAndRemove(root.resolve(c).resolve(CgroupDriver.relativePath(containerId)));
        }
    }

    /** One container's v1 cgroup: a directory in each controller's hierarchy. */
    static final class CgroupV1 implements Cgroup {
        private final Map<String, Path> dirs;

        CgroupV1(Map<String, Path> dirs) {
            this.dirs = dirs;
        }

        private Path dir(String controller) {
            return dirs.getOrDefault(controller, Path.of("/nonexistent"));
        }

        @Override
        public List<Path> directories() {
            return List.copyOf(dirs.values());
        }

        @Override
        public void addProcess(int pid) {
            for (Path dir : dirs.values()) {
                CgroupFile.write(dir.resolve("cgroup.procs"), Integer.toString(pid));
            }
        }

        // tag::stats[]
        @Override
        public CgroupStats stats() {
            Path memory = dir("memory");
            return new CgroupStats(
                    CgroupFile.readLongIfPresent(memory.resolve("memory.usage_in_bytes")),
                    CgroupFile.readLongIfPresent(memory.resolve("memory.max_usage_in_bytes")),
                    CgroupFile.readLongIfPresent(memory.resolve("memory.limit_in_bytes")),
                    CgroupFile.readLongIfPresent(dir("cpuacct").resolve("cpuacct.usage")),
                    (int) CgroupFile.readLongIfPresent(dir("pids").resolve("pids.current")),
                    (int) CgroupFile.readLongIfPresent(dir("pids").resolve("pids.max")),
                    Math.max(0, CgroupFile.readKey(memory.resolve("memory.oom_control"), "oom_kill")));
        }
        // end::stats[]

        @Override
        public boolean oomKilled() {
            return CgroupFile.readKey(dir("memory").resolve("memory.oom_control"), "oom_kill") > 0;
        }

        @Override
        public void destroy() {
            for (Path dir : dirs.values()) {
                Teardown.killAndRemove(dir); // a co-mounted cpu,cpuacct pair is simply gone the second time
            }
        }

        @Override
        public Path path() {
            return dirs.containsKey("memory") ? dirs.get("memory") : dirs.values().iterator().next();
        }

        @Override
        public Path file(String name) {
            String controller = name.substring(0, Math.max(0, name.indexOf('.')));
            return (dirs.containsKey(controller) ? dirs.get(controller) : path()).resolve(name);
        }
    }
}
