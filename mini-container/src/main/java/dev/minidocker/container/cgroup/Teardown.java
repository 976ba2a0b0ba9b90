package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.sys.Native;

/**
 * Emptying and removing a cgroup directory. The kernel refuses {@code rmdir} (EBUSY) while a
 * task is still inside, and a task killed by SIGKILL (an OOM kill, or ours) leaves only once it
 * has finished dying, so both steps loop for a short while.
 */
final class Teardown {
    private static final int SIGKILL = 9;
    private static final long TIMEOUT_MILLIS = 5_000;

    private Teardown() {
    }

    /** The pids listed in {@code cgroup.procs}; empty when the cgroup is gone. */
    static List<Integer> processes(Path dir) {
        Path procs = dir.resolve("cgroup.procs");
        List<Integer> pids = new ArrayList<>();
        if (!Files.exists(procs)) {
            return pids;
        }
        for (String line : CgroupFile.read(procs).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Integer.parseInt(line.trim()));
            }
        }
        return pids;
    }

    // tag::teardown[]
    /** SIGKILLs every task in the cgroup until none is left, then removes it (retrying on EBUSY). */
    static void killAndRemove(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        Path kill = dir.resolve("cgroup.kill"); // v2 since Linux 5.14: the kernel kills them all at once
        List<Integer> left = processes(dir);
        while (!left.isEmpty()) {
            if (Files.exists(kill)) {
                CgroupFile.write(kill, "1");
            } else {
                for (int pid : left) {
                    Native.posix().kill(pid, SIGKILL); // a fork racing with us is caught next round
                }
            }
            pause(deadline, dir, "processes " + left + " are still inside after SIGKILL");
            left = processes(dir);
        }
        while (true) {
            try {
                Files.delete(dir); // rmdir(2); the control files inside are not real files
                return;
            } catch (NoSuchFileException gone) {
                return;
            } catch (DirectoryNotEmptyException e) {
                // cgroupfs answers EBUSY, never ENOTEMPTY: this is an ordinary directory
                throw new CgroupException("cannot remove " + dir + ": it is not a cgroup directory (it holds ordinary files)", e);
            } catch (IOException e) {
                pause(deadline, dir, "rmdir keeps failing: " + e.getMessage());
            }
        }
    }
    // end::teardown[]

    private static void pause(long deadline, Path dir, String why) {
        if (System.currentTimeMillis() > deadline) {
            throw new CgroupException("cannot remove cgroup " + dir + ": " + why + "; remove it by hand with rmdir");
        }
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted while removing cgroup " + dir);
        }
    }

    /** After a failed create: removes what was made, keeping the first failure as the one reported. */
    static RuntimeException undo(Path dir, RuntimeException failure) {
        try {
            killAndRemove(dir);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /** Names of the subdirectories of {@code parent} whose cgroups have no process left. */
    static List<String> emptyChildren(Path parent) {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return ids;
        }
        try (var children = Files.list(parent)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (Files.isDirectory(child) && processes(child).isEmpty()) {
                    ids.add(child.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw CgroupFile.failure("list", parent, e);
        }
        ids.sort(null);
        return ids;
    }
}
