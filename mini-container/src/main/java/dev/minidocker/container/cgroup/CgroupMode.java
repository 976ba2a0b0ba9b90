package dev.minidocker.container.cgroup;

/**
 * How a host mounts cgroups. {@code V2}: one unified tree at {@code /sys/fs/cgroup} holding every
 * controller (most current distributions). {@code V1}: one hierarchy per controller under
 * {@code /sys/fs/cgroup/<controller>}. {@code HYBRID}: the v1 hierarchies hold the controllers and
 * an extra v2 tree (usually {@code /sys/fs/cgroup/unified}) holds none: limits go through v1.
 */
public enum CgroupMode {
    V2, V1, HYBRID;

    // tag::detect[]
    /**
     * Detects the mode from {@code /proc/self/mountinfo} text. Each line reads
     * {@code ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE SUPEROPTIONS}.
     */
    public static CgroupMode fromMountinfo(String mountinfo) {
        boolean v1 = false;
        boolean v2 = false;
        boolean v2AtTop = false;
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            String mountPoint = left.length > 4 ? left[4] : "";
            if (right[0].equals("cgroup2")) {
                v2 = true;
                v2AtTop |= mountPoint.equals("/sys/fs/cgroup");
            } else if (right[0].equals("cgroup")) {
                v1 = true;
            }
        }
        if (v2AtTop || (v2 && !v1)) {
            return V2;
        }
        if (v1) {
            return v2 ? HYBRID : V1;
        }
        throw new CgroupException("no cgroup file system is mounted: mount one (mount -t cgroup2 none /sys/fs/cgroup)");
    }
    // end::detect[]
}
