package dev.minidocker.container.security;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.minidocker.container.cgroup.DevicesController;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;

/**
 * docker's security flags of {@code run}, and what they make of a spec: {@code --cap-add},
 * {@code --cap-drop} (both take ALL), {@code --privileged}, {@code --security-opt seccomp=unconfined|FILE},
 * {@code --security-opt no-new-privileges}, {@code -u/--user} and {@code --group-add}. Without
 * flags a container gets the defaults: docker's 14 capabilities, the default seccomp profile,
 * the masked and read-only paths. Every relaxation is a flag that names it.
 *
 * @param user     the flag's value, or the image's {@code User} when there is no flag; null or "" for root
 */
public record SecurityOptions(List<String> capAdd, List<String> capDrop, boolean privileged,
                              List<String> securityOpt, String user, List<String> groupAdd) {

    /** --privileged: every device (the devices controller allows all). */
    private static final List<ContainerSpec.DeviceRule> ALL_DEVICES = List.of(new ContainerSpec.DeviceRule(true, "a", null, null, "rwm"));

    public SecurityOptions {
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
        groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
    }

    public static SecurityOptions defaults() {
        return new SecurityOptions(null, null, false, null, null, null);
    }

    // tag::cap-flags[]
    /**
     * The capability list, as docker computes it: --privileged is every capability; --cap-add ALL is
     * every one but those dropped; --cap-drop ALL keeps only those added; otherwise the defaults
     * without the dropped, plus the added. "Every" is every one mini itself holds.
     */
    public List<String> capabilityNames() {
        List<String> all = Capability.names(Capability.allHeld());
        if (privileged) {
            return all;
        }
        Set<String> add = normalise(capAdd);
        Set<String> drop = normalise(capDrop);
        Set<String> caps = new LinkedHashSet<>();
        if (add.contains("ALL")) {
            all.stream().filter(c -> !drop.contains(c)).forEach(caps::add);
        } else if (drop.contains("ALL")) {
            caps.addAll(add);
        } else {
            SpecDefaults.CAPABILITIES.stream().filter(c -> !drop.contains(c)).forEach(caps::add);
            caps.addAll(add);
        }
        return List.copyOf(caps);
    }
    // end::cap-flags[]

    /** Bounding, effective and permitted the list; inheritable and ambient empty (as docker since 20.10.14). */
    public ContainerSpec.Capabilities capabilities() {
        List<String> caps = capabilityNames();
        return new ContainerSpec.Capabilities(caps, caps, List.of(), caps, List.of());
    }

    /** The seccomp filter for these flags: null for unconfined (or --privileged). */
    public ContainerSpec.Seccomp seccomp() {
        String value = null;
        for (Map.Entry<String, String> o : options().entrySet()) {
            if (o.getKey().equals("seccomp")) {
                value = o.getValue();
            }
        }
        if (privileged || "unconfined".equals(value)) {
            return null;
        }
        SeccompProfile profile = value == null ? DefaultSeccompProfile.profile() : SeccompProfile.read(Path.of(value));
        return profile.resolve(capabilityNames(), SeccompProfile.goArch(), SeccompProfile.kernelVersion());
    }

    public boolean noNewPrivileges() {
        String v = options().get("no-new-privileges");
        return v != null && !v.equals("false");
    }

    /**
     * --security-opt values by key: {@code seccomp=X}, {@code no-new-privileges},
     * {@code no-new-privileges=true|false} (docker also takes ':' for '='). Unknown keys are an error.
     */
    Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String opt : securityOpt) {
            int sep = opt.indexOf('=');
            if (sep < 0) {
                sep = opt.indexOf(':');
            }
            String key = sep < 0 ? opt : opt.substring(0, sep);
            String value = sep < 0 ? "" : opt.substring(sep + 1);
            switch (key) {
                case "seccomp" -> {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException("--security-opt seccomp needs a value: seccomp=unconfined or seccomp=PROFILE.json");
                    }
                }
                case "no-new-privileges" -> {
                    if (!value.isEmpty() && !value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException("--security-opt no-new-privileges takes true or false, not \"" + value + "\"");
                    }
                    value = value.isEmpty() ? "true" : value;
                }
                default -> throw new IllegalArgumentException("--security-opt " + opt
                        + " is not supported: use seccomp=unconfined, seccomp=PROFILE.json or no-new-privileges");
            }
            m.put(key, value);
        }
        return m;
    }

    // tag::apply-flags[]
    /**
     * The spec with these flags applied: process capabilities, no_new_privs, seccomp, masked and
     * read-only paths, the devices controller's rules (with --privileged: every capability and
     * device, no filter, no masks, writable /sys), and the user to resolve in the image once its
     * root is mounted (see {@link ContainerUser#resolveInSpec}).
     */
    public ContainerSpec applyTo(ContainerSpec spec) {
        ContainerSpec.Process p = spec.process();
        ContainerSpec.Process process = new ContainerSpec.Process(p.terminal(), p.consoleSize(), p.user(), p.args(),
                p.env(), p.cwd(), capabilities(), p.rlimits(), noNewPrivileges() ? Boolean.TRUE : p.noNewPrivileges(),
                p.apparmorProfile(), p.oomScoreAdj(), p.selinuxLabel());
        ContainerSpec.Linux l = spec.linux() != null ? spec.linux()
                : new ContainerSpec.Linux(null, null, null, null, null, null, null, null, null, null, null, null, null);
        ContainerSpec.Resources r = l.resources() != null ? l.resources()
                : new ContainerSpec.Resources(null, null, null, null, null, null);
        ContainerSpec.Resources resources = new ContainerSpec.Resources(privileged ? ALL_DEVICES : DevicesController.DENY_ALL,
                r.memory(), r.cpu(), r.pids(), r.blockIO(), r.unified());
        ContainerSpec.Linux linux = new ContainerSpec.Linux(l.namespaces(), l.uidMappings(), l.gidMappings(), l.devices(),
                l.cgroupsPath(), resources, l.sysctl(), seccomp(), l.rootfsPropagation(),
                privileged ? List.of() : SpecDefaults.MASKED_PATHS, privileged ? List.of() : SpecDefaults.READONLY_PATHS,
                l.mountLabel(), l.personality());
        Map<String, String> annotations = new LinkedHashMap<>(spec.annotations() == null ? Map.of() : spec.annotations());
        if (user != null && !user.isEmpty()) {
            annotations.put(ContainerUser.USER_ANNOTATION, user);
        }
        if (!groupAdd.isEmpty()) {
            annotations.put(ContainerUser.GROUP_ADD_ANNOTATION, String.join(",", groupAdd));
        }
        ContainerSpec out = spec.withProcess(process).withLinux(linux).withAnnotations(annotations);
        return privileged && spec.mounts() != null ? out.withMounts(writableSys(spec.mounts())) : out;
    }

    /** --privileged: /sys and /sys/fs/cgroup without "ro", as docker mounts them. */
    private static List<ContainerSpec.Mount> writableSys(List<ContainerSpec.Mount> mounts) {
        return mounts.stream().map(m -> !m.destination().equals("/sys") && !m.destination().equals("/sys/fs/cgroup") ? m
                : new ContainerSpec.Mount(m.destination(), m.type(), m.source(),
                        m.options() == null ? null : m.options().stream().filter(o -> !o.equals("ro")).toList())).toList();
    }
    // end::apply-flags[]

    private static Set<String> normalise(List<String> names) {
        Set<String> s = new LinkedHashSet<>();
        for (String n : names) {
            for (String part : n.split(",")) {
                if (part.trim().equalsIgnoreCase("ALL")) {
                    s.add("ALL");
                } else if (!part.isBlank()) {
                    s.add(Capability.parse(part).name());
                }
            }
        }
        return s;
    }
}
