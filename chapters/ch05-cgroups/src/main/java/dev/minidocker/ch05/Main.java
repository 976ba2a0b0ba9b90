package dev.minidocker.ch05;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.cgroup.Cgroup;
import dev.minidocker.container.cgroup.CgroupDriver;
import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.CgroupStats;
import dev.minidocker.container.cgroup.Cgroups;
import dev.minidocker.container.cgroup.Limits;

/**
 * Chapter 5: cgroups. A memory limit, a pids limit and a CPU quota, each hit live by a real
 * process, on whichever cgroup version this host runs. Needs root.
 *
 * <pre>  java dev.minidocker.ch05.Main [--step] [--cgroup-driver v1|v2]</pre>
 */
public final class Main {
    private final Narrator say;
    private final CgroupDriver driver;
    private final String prefix = "ch05-" + UUID.randomUUID().toString().substring(0, 8);

    private Main(Narrator say, CgroupDriver driver) {
        this.say = say;
        this.driver = driver;
    }

    public static void main(String[] args) {
        Narrator say = Narrator.fromArgs(args);
        List<String> list = Arrays.asList(args);
        int i = list.indexOf("--cgroup-driver");
        String override = i >= 0 && i + 1 < list.size() ? list.get(i + 1) : null;
        try {
            new Main(say, describeHost(say, override)).run();
        } catch (CgroupException e) {
            System.err.println("ch05: " + e.getMessage());
            System.exit(1);
        }
    }

    private static CgroupDriver describeHost(Narrator say, String override) {
        say.title("Chapter 5: cgroups, limits the kernel enforces");
        say.step("Which cgroup layout does this host mount?", "/proc/self/mountinfo: cgroup (v1) and cgroup2 lines");
        say.host("mode: " + Cgroups.detect());
        CgroupDriver driver = Cgroups.driver(override);
        say.say("driver: " + driver.name() + (driver.name().equals("v1")
                ? " (one hierarchy per controller: /sys/fs/cgroup/memory, /cpu, /cpuacct, /pids)"
                : " (one tree; controllers handed down through cgroup.subtree_control)"));
        return driver;
    }

    private void run() {
        memory();
        pids();
        cpu();
        say.conclude("a cgroup is a directory; a limit is a line in a file; the kernel does the rest");
    }

    /** Shows one control file: a limit is nothing more than a line in it. */
    private String show(Cgroup cg, String v1Name, String v2Name) {
        Path p = cg.file(driver.name().equals("v1") ? v1Name : v2Name);
        try {
            return p + ": " + Files.readString(p).trim();
        } catch (IOException e) {
            return p + ": " + e.getMessage();
        }
    }

    // tag::memory-demo[]
    private void memory() {
        Cgroup cg = driver.create(prefix + "-memory", Limits.parse("64m", "64m", null, null, null));
        try {
            say.step("Create a cgroup with --memory 64m --memory-swap 64m", "the file the limit went into");
            say.host(show(cg, "memory.limit_in_bytes", "memory.max"));
            say.step("A process inside asks for more and more memory", "which allocation the kernel refuses, and how");
            try (Contained c = Contained.start(cg, Scripts.growingAllocation(16, 32, 48, 80, 96))) {
                c.waitFor();
                say.insideLines(c.output());
            }
            CgroupStats s = cg.stats();
            say.host("oom killed: " + cg.oomKilled() + "; " + s.describe());
            say.say("dd died of SIGKILL (status 137 = 128 + 9) from the OOM killer, inside the cgroup only;");
            say.say("the shell around it lived on, and so did the host.");
        } finally {
            cg.destroy();
        }
    }
    // end::memory-demo[]

    private void pids() {
        Cgroup cg = driver.create(prefix + "-pids", Limits.parse(null, null, null, null, 16));
        try {
            say.step("Create a cgroup with --pids 16 and fork until the kernel says no", "the last lines: fork fails with EAGAIN");
            try (Contained c = Contained.start(cg, Scripts.forkUntilRefused())) {
                int status = c.waitFor();
                List<String> lines = c.output().lines().toList();
                say.insideLines(String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
                say.host("shell exit status " + status + "; " + cg.stats().describe());
            }
            say.say("the 15 sleepers plus the shell were the 16 tasks allowed: a fork bomb stops here.");
        } finally {
            cg.destroy();
            say.host("destroyed (sleepers killed): " + cg.path() + " exists: " + Files.exists(cg.path()));
        }
    }

    // tag::cpu-demo[]
    private void cpu() {
        Cgroup cg = driver.create(prefix + "-cpu", Limits.parse(null, null, "0.5", null, null));
        try {
            say.step("Create a cgroup with --cpus 0.5 and run two busy loops in it", "CPUs used per second of wall time");
            say.host(show(cg, "cpu.cfs_quota_us", "cpu.max"));
            try (Contained c = Contained.start(cg, Scripts.twoBusyLoops())) {
                for (int second = 1; second <= 3; second++) {
                    long cpu0 = cg.stats().cpuUsageNanos();
                    long wall0 = System.nanoTime();
                    sleep(1000);
                    double cpus = (double) (cg.stats().cpuUsageNanos() - cpu0) / (System.nanoTime() - wall0);
                    say.host(String.format(Locale.ROOT, "second %d: %.2f CPUs", second, cpus));
                }
            }
            say.host("throttled " + readKey(cg.file("cpu.stat"), "nr_throttled") + " times (cpu.stat nr_throttled)");
            say.say("two loops could use two CPUs; the quota allows 50 ms of CPU time per 100 ms period.");
        } finally {
            cg.destroy();
        }
    }
    // end::cpu-demo[]

    private static String readKey(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key + " "))
                    .map(l -> l.substring(key.length() + 1)).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
