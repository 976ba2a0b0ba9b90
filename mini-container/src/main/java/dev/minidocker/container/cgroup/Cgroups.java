package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Chooses the cgroup driver that fits this host. */
public final class Cgroups {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final long STALE_AFTER_MILLIS = 60_000;

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

    /** Every driver this host can run: v2 on a v2 host, v1 on a v1 host, both on a hybrid one. */
    public static List<CgroupDriver> available() {
        CgroupMode mode = detect();
        List<CgroupDriver> drivers = new ArrayList<>();
        if (mode != CgroupMode.V2) {
            drivers.add(driver("v1"));
        }
        if (mode != CgroupMode.V1) {
            drivers.add(driver("v2"));
        }
        return drivers;
    }

    /** A container's cgroup, whichever driver made it. */
    public static Optional<Cgroup> find(String containerId) {
        for (CgroupDriver d : available()) {
            Optional<Cgroup> cg = d.find(containerId);
            if (cg.isPresent()) {
                return cg;
            }
        }
        return Optional.empty();
    }

    /** Removes a container's cgroup wherever it is, killing what is left inside. */
    public static void remove(String containerId) {
        for (CgroupDriver d : available()) {
            d.removeStale(containerId);
        }
    }

    // tag::stale[]
    /**
     * Removes the empty cgroups of containers that are no longer alive (a run that was killed
     * before it could clean up). Only names shaped like container ids (64 hex digits) are
     * touched, so cgroups that other tools keep under mini-docker/ are left alone, and only
     * after a minute: a cgroup is empty between its creation and the container's start, and
     * another mini (with another store) may be in that moment.
     *
     * @return the ids removed
     */
    public static List<String> removeStale(Predicate<String> isLiveContainer) {
        List<String> removed = new ArrayList<>();
        long aMinuteAgo = System.currentTimeMillis() - STALE_AFTER_MILLIS;
        for (CgroupDriver d : available()) {
            for (String id : d.stale()) {
                if (id.matches("[0-9a-f]{64}") && !isLiveContainer.test(id) && createdBefore(d, id, aMinuteAgo)) {
                    d.removeStale(id);
                    removed.add(id);
                }
            }
        }
        return removed;
    }
    // end::stale[]

    private static boolean createdBefore(CgroupDriver driver, String id, long millis) {
        Optional<Cgroup> cg = driver.find(id);
        try {
            return cg.isPresent() && Files.getLastModifiedTime(cg.get().path()).toMillis() < millis;
        } catch (IOException gone) {
            return false;
        }
    }
}
