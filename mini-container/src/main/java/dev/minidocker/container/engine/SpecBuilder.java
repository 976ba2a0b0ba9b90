package dev.minidocker.container.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.minidocker.container.cgroup.CpuQuota;
import dev.minidocker.container.cgroup.CpuWeight;
import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.fs.RootFilesystem;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;

/**
 * Writes the OCI config.json of a {@code mini run}: the image's layers become an overlay mount
 * at "/" (made inside the container's own mount namespace), the flags become process, hostname,
 * namespaces and linux.resources, and the rest are docker's defaults.
 */
public final class SpecBuilder {
    private SpecBuilder() {
    }

    // tag::build[]
    public static ContainerSpec build(RunRequest r, String id, Path bundle) {
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        String rootPath;
        if (r.rootDirectory() != null) {
            rootPath = r.rootDirectory().toAbsolutePath().toString();
        } else {
            rootPath = bundle.resolve("rootfs").toString();
            String options = RootFilesystem.overlayOptions(r.layers(), bundle.resolve("upper"), bundle.resolve("work"));
            // rootless, the overlay is mounted in the user's namespace: its metadata goes in user.* xattrs
            mounts.add(new ContainerSpec.Mount("/", "overlay", "overlay",
                    dev.minidocker.container.ns.Rootless.active() ? List.of(options, "userxattr") : List.of(options)));
        }
        mounts.addAll(SpecDefaults.mounts());
        ContainerSpec.Process process = new ContainerSpec.Process(r.terminal() != null,
                r.terminal() == null ? null : new ContainerSpec.ConsoleSize(r.terminal().rows(), r.terminal().cols()),
                new ContainerSpec.User(0, 0, null, null), // a -u or image User is resolved in the image by the init stage (SecurityOptions)
                r.args(), r.env(), r.cwd(), null, null, false, null, null, null);
        List<ContainerSpec.Namespace> namespaces = new ArrayList<>();
        for (Namespace n : r.namespaces()) {
            if (n != Namespace.CGROUP) {
                namespaces.add(new ContainerSpec.Namespace(ociName(n), null));
            }
        }
        // always its own cgroup namespace: /sys/fs/cgroup shows the container its own cgroup only
        namespaces.add(new ContainerSpec.Namespace("cgroup", null));
        ContainerSpec.Linux linux = new ContainerSpec.Linux(namespaces, null, null, null, "/mini-docker/" + id,
                resources(r.limits()), null, null, null, null, null, null, null);
        Map<String, String> annotations = new HashMap<>();
        if (r.isolation() == Isolation.CHROOT) {
            annotations.put(ContainerSpec.ISOLATION_ANNOTATION, "chroot");
        }
        if (r.cgroupDriver() != null) {
            annotations.put(ContainerRuntime.CGROUP_DRIVER_ANNOTATION, r.cgroupDriver());
        }
        String hostname = r.hostname() != null ? r.hostname() : id.substring(0, 12);
        ContainerSpec spec = new ContainerSpec(ContainerSpec.OCI_VERSION, process, new ContainerSpec.Root(rootPath, false), hostname,
                null, mounts, null, annotations, linux);
        return r.security() == null ? spec : r.security().applyTo(spec);
    }
    // end::build[]

    /** --memory, --memory-swap, --cpus, --cpu-weight and --pids as OCI linux.resources. */
    static ContainerSpec.Resources resources(Limits l) {
        if (l == null || l.isEmpty()) {
            return null;
        }
        ContainerSpec.Memory memory = l.memoryBytes() == null ? null
                : new ContainerSpec.Memory(l.memoryBytes(), null, l.memoryPlusSwapBytes(), null, null, null, null);
        ContainerSpec.Cpu cpu = null;
        if (l.cpus() != null || l.cpuWeight() != null) {
            CpuQuota q = l.cpus() == null ? null : CpuQuota.fromCpus(l.cpus());
            cpu = new ContainerSpec.Cpu(l.cpuWeight() == null ? null : CpuWeight.toShares(l.cpuWeight()),
                    q == null ? null : q.quotaMicros(), q == null ? null : q.periodMicros(), null, null, null, null, null);
        }
        return new ContainerSpec.Resources(null, memory, cpu, l.pids() == null ? null : new ContainerSpec.Pids(l.pids()), null, null);
    }

    static String ociName(Namespace n) {
        return switch (n) {
            case PID -> "pid";
            case NET -> "network";
            case MOUNT -> "mount";
            case IPC -> "ipc";
            case UTS -> "uts";
            case CGROUP -> "cgroup";
            case USER -> "user";
        };
    }
}
