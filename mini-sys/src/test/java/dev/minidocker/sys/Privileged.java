package dev.minidocker.sys;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gates for integration tests. On a machine without the privilege the test is skipped with
 * the reason; with {@code MINI_REQUIRE_PRIVILEGED=1} (set by CI) it fails instead, so a CI
 * run can never pass by skipping.
 */
public final class Privileged {
    private Privileged() {
    }

    public static boolean required() {
        return "1".equals(System.getenv("MINI_REQUIRE_PRIVILEGED"));
    }

    /** Skip (or fail under MINI_REQUIRE_PRIVILEGED=1) unless the condition holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (required()) {
            Assertions.fail("MINI_REQUIRE_PRIVILEGED=1 but " + reason);
        }
        Assumptions.abort(reason);
    }

    public static void requireRoot() {
        require(Native.posix().geteuid() == 0, "needs root (run the tests with sudo)");
    }

    public static void requireKvm() {
        Path kvm = Path.of("/dev/kvm");
        require(Files.isReadable(kvm) && Files.isWritable(kvm), "needs read/write access to /dev/kvm");
    }

    public static void requireCgroups() {
        requireRoot();
        require(Files.isDirectory(Path.of("/sys/fs/cgroup")), "needs /sys/fs/cgroup");
    }
}
