package dev.minidocker.container.cgroup;

import java.util.List;
import java.util.Optional;

/** Makes container cgroups for one cgroup version. Every container gets {@code mini-docker/<id>}. */
public interface CgroupDriver {
    /** The directory, in each hierarchy, that holds one cgroup per container. */
    String PARENT = "mini-docker";

    /**
     * Where a container's cgroup lives below a hierarchy's root. A bare container id goes under
     * {@link #PARENT}; a path (an OCI {@code linux.cgroupsPath} such as {@code /docker/ID}, which an
     * engine chooses) is taken as it is, relative to the root.
     */
    static String relativePath(String idOrPath) {
        if (idOrPath.contains("/")) {
            String p = idOrPath.replaceAll("^/+", "");
            if (p.isEmpty() || java.util.Arrays.asList(p.split("/")).contains("..")) {
                throw new CgroupException("bad cgroupsPath \"" + idOrPath + "\": give a path such as /mini-docker/ID, without '..'");
            }
            return p;
        }
        return PARENT + "/" + idOrPath;
    }

    /** The name for {@code --cgroup-driver}: "v1" or "v2". */
    String name();

    /** Creates the container's cgroup and writes its limits, before any process is inside. */
    Cgroup create(String containerId, Limits limits);

    /** The container's existing cgroup (made by this or another mini process), if there is one. */
    Optional<Cgroup> find(String containerId);

    /** Container ids whose cgroup is left over with no process in it (a crashed run). */
    List<String> stale();

    /** Removes a left-over cgroup, killing anything still inside. No-op when there is none. */
    void removeStale(String containerId);
}
