package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chooses the cgroup driver that fits this host. */
public final class Cgroups {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private Cgroups() {
    }

    /** The host's cgroup mode, from {@code /proc/self/mountinfo}. */
    public static CgroupMode detect() {
        try {
            return CgroupMode.fromMountinfo(Files.readString(MOUNTINFO));
        } catch (IOException e) {
            throw CgroupFile.failure("read", MOUNTINFO, e);
        }
    }

    // tag::driver[]
    /**
     * The driver for this host, or the one asked for with {@code --cgroup-driver}.
     *
     * @param override null to detect, or "v1" or "v2"
     */
    public static CgroupDriver driver(String override) {
        CgroupMode mode = detect();
        String choice = override != null ? override : mode == CgroupMode.V2 ? "v2" : "v1";
        switch (choice) {
            case "v1":
                if (mode == CgroupMode.V2) {
                    throw new CgroupException("--cgroup-driver v1: this host has no cgroup v1 hierarchies (pure v2); use v2 or leave the option out");
                }
                return new CgroupV1Driver(ROOT);
            case "v2":
                if (mode == CgroupMode.V1) {
                    throw new CgroupException("--cgroup-driver v2: this host has no cgroup v2 tree (pure v1); use v1 or leave the option out");
                }
                // hybrid hosts mount the v2 tree (with no controllers) at /sys/fs/cgroup/unified
                return new CgroupV2Driver(mode == CgroupMode.HYBRID ? ROOT.resolve("unified") : ROOT);
            default:
                throw new CgroupException("--cgroup-driver " + override + ": unknown driver; use v1 or v2");
        }
    }
    // end::driver[]
}
