package dev.minidocker.container.cgroup;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gates for the tests of one cgroup version. They skip with the reason on a host of the other
 * version, and fail instead when {@code MINI_REQUIRE_V1=1} or {@code MINI_REQUIRE_V2=1} says this
 * host must run them (CI on the hybrid build machines, and the v2 lab guest).
 */
final class HostCgroups {
    private HostCgroups() {
    }

    static void require(String version, boolean condition, String reason) {
        if (condition) {
            return;
        }
        String env = "MINI_REQUIRE_" + version.toUpperCase(java.util.Locale.ROOT);
        if ("1".equals(System.getenv(env))) {
            Assertions.fail(env + "=1 but " + reason);
        }
        Assumptions.abort(reason + " (set " + env + "=1 to make this a failure)");
    }

    static boolean root() {
        return dev.minidocker.sys.Native.posix().geteuid() == 0;
    }
}
