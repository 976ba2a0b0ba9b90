package dev.minidocker.container.cgroup;

import java.util.List;
import java.util.Optional;

/** Makes container cgroups for one cgroup version. Every container gets {@code mini-docker/<id>}. */
public interface CgroupDriver {
    /** The directory, in each hierarchy, that holds one cgroup per container. */
    String PARENT = "mini-docker";

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
