package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory tree shaped like a cgroup file system, for testing the drivers' file formats
 * without privileges. Where the kernel would populate a new cgroup directory with its control
 * files on mkdir, the tests create them beforehand, with the kernel's initial contents.
 */
final class FakeCgroupTree {
    private FakeCgroupTree() {
    }

    static void file(Path path, String content) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A v2 top with all controllers offered, and the cgroup {@code mini-docker/<id>} the kernel would make. */
    static void v2(Path root, String id) {
        file(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        file(root.resolve("cgroup.subtree_control"), "\n");
        Path parent = root.resolve("mini-docker");
        file(parent.resolve("cgroup.controllers"), "cpu memory pids\n");
        file(parent.resolve("cgroup.subtree_control"), "\n");
        Path dir = parent.resolve(id);
        file(dir.resolve("cgroup.controllers"), "cpu memory pids\n");
        file(dir.resolve("cgroup.procs"), "");
        file(dir.resolve("memory.max"), "max\n");
        file(dir.resolve("memory.swap.max"), "max\n");
        file(dir.resolve("memory.current"), "0\n");
        file(dir.resolve("memory.peak"), "0\n");
        file(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
        file(dir.resolve("cpu.max"), "max 100000\n");
        file(dir.resolve("cpu.weight"), "100\n");
        file(dir.resolve("cpu.stat"), "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
        file(dir.resolve("pids.max"), "max\n");
        file(dir.resolve("pids.current"), "0\n");
    }

    /** v1 hierarchies for memory, cpu, cpuacct and pids, with the cgroup {@code <controller>/mini-docker/<id>}. */
    static void v1(Path root, String id) {
        String unlimited = "9223372036854771712\n";
        for (String c : new String[] {"memory", "cpu", "cpuacct", "pids"}) {
            file(root.resolve(c).resolve("cgroup.procs"), "1\n");
            file(root.resolve(c).resolve("mini-docker").resolve(id).resolve("cgroup.procs"), "");
        }
        Path memory = root.resolve("memory/mini-docker").resolve(id);
        file(memory.resolve("memory.limit_in_bytes"), unlimited);
        file(memory.resolve("memory.memsw.limit_in_bytes"), unlimited);
        file(memory.resolve("memory.usage_in_bytes"), "0\n");
        file(memory.resolve("memory.max_usage_in_bytes"), "0\n");
        file(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        Path cpu = root.resolve("cpu/mini-docker").resolve(id);
        file(cpu.resolve("cpu.cfs_period_us"), "100000\n");
        file(cpu.resolve("cpu.cfs_quota_us"), "-1\n");
        file(cpu.resolve("cpu.shares"), "1024\n");
        file(root.resolve("cpuacct/mini-docker").resolve(id).resolve("cpuacct.usage"), "0\n");
        Path pids = root.resolve("pids/mini-docker").resolve(id);
        file(pids.resolve("pids.max"), "max\n");
        file(pids.resolve("pids.current"), "0\n");
    }
}
