package dev.minidocker.container.cgroup;

import org.junit.jupiter.api.BeforeEach;

/** The limits on cgroup v1, as on this build machine (hybrid) or an older v1 host. Needs root. */
class CgroupV1IntegrationTest extends CgroupLimitsContract {
    @BeforeEach
    void requireV1() {
        HostCgroups.require("v1", HostCgroups.root(), "needs root to create cgroups");
        CgroupMode mode = Cgroups.detect();
        HostCgroups.require("v1", mode != CgroupMode.V2, "this host runs cgroup v2 only; the v1 driver cannot run here");
    }

    @Override
    CgroupDriver driver() {
        return Cgroups.driver("v1");
    }
}
