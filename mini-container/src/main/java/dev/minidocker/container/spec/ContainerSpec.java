package dev.minidocker.container.spec;

import java.util.List;
import java.util.Map;

/**
 * The OCI runtime specification's {@code config.json} (runtime-spec 1.0 to 1.2, config.md and
 * config-linux.md), as records whose component names are the document's field names. This is
 * the only description of a container the runtime reads: {@code mini run} writes one from an
 * image and its flags, and engines such as podman, containerd and Docker write one into a bundle
 * for {@code mini-runc}. Absent fields are null (Gson leaves them so), which the runtime reads as
 * "not asked for".
 */
public record ContainerSpec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {

    /** The version of the runtime specification mini writes and reports. */
    public static final String OCI_VERSION = "1.2.0";

    /** The program the container runs and how (config.md "Process"). */
    public record Process(
            Boolean terminal,
            ConsoleSize consoleSize,
            User user,
            List<String> args,
            List<String> env,
            String cwd,
            Capabilities capabilities,
            List<Rlimit> rlimits,
            Boolean noNewPrivileges,
            String apparmorProfile,
            Integer oomScoreAdj,
            String selinuxLabel) {

        public boolean isTerminal() {
            return Boolean.TRUE.equals(terminal);
        }
    }

    public record ConsoleSize(int height, int width) {
    }

    /** uid and gid inside the container's user namespace, umask, supplementary groups. */
    public record User(long uid, long gid, Integer umask, List<Long> additionalGids) {
    }

    /** The five capability sets, each a list of names such as {@code CAP_CHOWN} (capabilities(7)). */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient) {
    }

    /** One setrlimit(2): {@code type} is the resource's name, such as {@code RLIMIT_NOFILE}. */
    public record Rlimit(String type, long hard, long soft) {
    }

    /** The root filesystem: a directory (relative paths are relative to the bundle). */
    public record Root(String path, Boolean readonly) {
        public boolean isReadonly() {
            return Boolean.TRUE.equals(readonly);
        }
    }

    /**
     * One mount(2) inside the container. mini adds one convention of its own: a mount whose
     * destination is {@code /} (an overlay of image layers) is mounted onto root.path first, in
     * the container's own mount namespace, so the host never sees it.
     */
    public record Mount(String destination, String type, String source, List<String> options) {
    }

    /** Programs the runtime runs at points of the lifecycle, with the state on their stdin. */
    public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
                        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {
    }

    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    }

    /** The Linux-specific part (config-linux.md). */
    public record Linux(
            List<Namespace> namespaces,
            List<IdMapping> uidMappings,
            List<IdMapping> gidMappings,
            List<Device> devices,
            String cgroupsPath,
            Resources resources,
            Map<String, String> sysctl,
            Seccomp seccomp,
            String rootfsPropagation,
            List<String> maskedPaths,
            List<String> readonlyPaths,
            String mountLabel,
            Personality personality) {
    }

    /** A namespace to create ({@code path} null) or to join (the path of a /proc/PID/ns file or a bind mount of one). */
    public record Namespace(String type, String path) {
    }

    public record IdMapping(long containerID, long hostID, long size) {
    }

    /** A device node to create in the container's /dev. */
    public record Device(String type, String path, long major, long minor, Integer fileMode, Long uid, Long gid) {
    }

    /** cgroup limits (config-linux.md "Control groups"). */
    public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIO blockIO,
                            Map<String, String> unified) {
    }

    /** A devices-controller rule: allow or deny type (a, b, c) major:minor with access rwm. */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    }

    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
                         Boolean disableOOMKiller) {
    }

    public record Cpu(Long shares, Long quota, Long period, Long realtimeRuntime, Long realtimePeriod,
                      String cpus, String mems, Long idle) {
    }

    public record Pids(long limit) {
    }

    public record BlockIO(Integer weight, Integer leafWeight) {
    }

    /** A seccomp filter, as libseccomp takes it (config-linux.md "Seccomp"). */
    public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
                          List<String> flags, String listenerPath, List<Syscall> syscalls) {
    }

    public record Syscall(List<String> names, String action, Integer errnoRet, List<SyscallArg> args) {
    }

    public record SyscallArg(int index, long value, long valueTwo, String op) {
    }

    public record Personality(String domain, List<String> flags) {
    }

    /** The process with its arguments replaced (everything else kept). */
    public ContainerSpec withProcess(Process p) {
        return new ContainerSpec(ociVersion, p, root, hostname, domainname, mounts, hooks, annotations, linux);
    }

    public ContainerSpec withAnnotations(Map<String, String> a) {
        return new ContainerSpec(ociVersion, process, root, hostname, domainname, mounts, hooks, a, linux);
    }

    public ContainerSpec withLinux(Linux l) {
        return new ContainerSpec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, l);
    }

    public ContainerSpec withMounts(List<Mount> m) {
        return new ContainerSpec(ociVersion, process, root, hostname, domainname, m, hooks, annotations, linux);
    }

    public ContainerSpec withRoot(Root r) {
        return new ContainerSpec(ociVersion, process, r, hostname, domainname, mounts, hooks, annotations, linux);
    }

    /** The annotation mini uses for {@code --isolation chroot} (OCI has no word for it; runc's is --no-pivot). */
    public static final String ISOLATION_ANNOTATION = "dev.minidocker.isolation";
}
