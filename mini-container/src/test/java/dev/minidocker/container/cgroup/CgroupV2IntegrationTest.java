package dev.minidocker.container.cgroup;

import org.junit.jupiter.api.BeforeEach;

/**
 * The limits on a pure cgroup v2 host (most student machines, and the lab's qemu guest). On this
 * hybrid build machine they skip: its v2 tree has no controllers.
 */
class CgroupV2IntegrationTest extends CgroupLimitsContract {
    @BeforeEach
    void requireV2() {
        HostCgroups.require("v2", HostCgroups.root(), "needs root to create cgroups");
        CgroupMode mode = Cgroups.detect();
        HostCgroups.require("v2", mode == CgroupMode.V2,
                "this host runs cgroups in " + mode + " mode; the v2 limit tests need a pure v2 host (the lab guest)");
    }

    @Override
    CgroupDriver driver() {
        return Cgroups.driver("v2");
    }
}
