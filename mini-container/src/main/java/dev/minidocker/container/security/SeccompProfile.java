package dev.minidocker.container.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import dev.minidocker.container.spec.ContainerSpec;

/**
 * A seccomp profile in docker's JSON format ({@code docker run --security-opt seccomp=FILE}): like
 * the OCI {@code linux.seccomp}, plus rules that apply only with some capabilities, on some
 * architectures or from some kernel version on. {@link #resolve} decides those for one
 * container and gives the OCI form the runtime loads, as docker does before it calls runc.
 */
public record SeccompProfile(String defaultAction, Integer defaultErrnoRet, List<ArchMap> archMap,
                             List<String> architectures, List<String> flags, List<Rule> syscalls) {

    /** The native architecture and the others whose system calls the filter also handles (x86 programs on x86-64). */
    public record ArchMap(String architecture, List<String> subArchitectures) {
    }

    /**
     * One rule. {@code name} is the older single-name form. Architecture names in includes and
     * excludes are Go's ({@code amd64}, {@code arm64}, {@code s390x}), as docker compares them.
     */
    public record Rule(String name, List<String> names, String action, Integer errnoRet,
                       List<ContainerSpec.SyscallArg> args, Filter includes, Filter excludes, String comment) {
        public Rule(List<String> names, String action, List<ContainerSpec.SyscallArg> args) {
            this(null, names, action, null, args, null, null, null);
        }
    }

    /** When a rule applies: every capability listed present, this architecture, this kernel or newer. */
    public record Filter(List<String> caps, List<String> arches, String minKernel) {
    }

    /** Reads a profile file; a clear IllegalArgumentException if it is not one. */
    public static SeccompProfile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read seccomp profile " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    static SeccompProfile parse(String json, String what) {
        try {
            SeccompProfile p = new Gson().fromJson(json, SeccompProfile.class);
            if (p == null || p.defaultAction == null) {
                throw new IllegalArgumentException("seccomp profile " + what + " has no defaultAction");
            }
            return p;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("seccomp profile " + what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    // tag::resolve-profile[]
    /**
     * The OCI filter for a container holding capabilities caps, on goArch (such as amd64) with
     * kernel version kernel (such as "6.18.44").
     */
    public ContainerSpec.Seccomp resolve(List<String> caps, String goArch, String kernel) {
        List<String> arches = new ArrayList<>();
        if (archMap != null && !archMap.isEmpty()) {
            String nativeArch = ociArch(goArch);
            for (ArchMap m : archMap) {
                if (m.architecture.equals(nativeArch)) {
                    arches.add(m.architecture);
                    if (m.subArchitectures != null) {
                        arches.addAll(m.subArchitectures);
                    }
                }
            }
        } else if (architectures != null) {
            arches.addAll(architectures);
        }
        List<String> have = caps == null ? List.of() : caps.stream().map(c -> Capability.parse(c).name()).toList();
        List<ContainerSpec.Syscall> out = new ArrayList<>();
        for (Rule r : syscalls == null ? List.<Rule>of() : syscalls) {
            if (r.name != null && r.names != null && !r.names.isEmpty()) {
                throw new IllegalArgumentException("seccomp rule has both name and names: " + r.name);
            }
            if (r.includes != null && !holds(r.includes, have, goArch, kernel, true)) {
                continue;
            }
            if (r.excludes != null && holds(r.excludes, have, goArch, kernel, false)) {
                continue;
            }
            List<String> names = r.name != null ? List.of(r.name) : r.names;
            out.add(new ContainerSpec.Syscall(names, r.action, r.errnoRet, r.args));
        }
        return new ContainerSpec.Seccomp(defaultAction, defaultErrnoRet, arches, flags, null, out);
    }
    // end::resolve-profile[]

    /**
     * For includes (all): every capability present, the arch listed, the kernel new enough.
     * For excludes (any): some capability present or the arch listed.
     */
    private static boolean holds(Filter f, List<String> have, String goArch, String kernel, boolean all) {
        boolean capsListed = f.caps != null && !f.caps.isEmpty();
        boolean archesListed = f.arches != null && !f.arches.isEmpty();
        if (all) {
            if (capsListed && !have.containsAll(f.caps.stream().map(c -> Capability.parse(c).name()).toList())) {
                return false;
            }
            if (archesListed && !f.arches.contains(goArch)) {
                return false;
            }
            return f.minKernel == null || f.minKernel.isEmpty() || compareVersions(kernel, f.minKernel) >= 0;
        }
        if (capsListed && f.caps.stream().anyMatch(c -> have.contains(Capability.parse(c).name()))) {
            return true;
        }
        return archesListed && f.arches.contains(goArch);
    }

    /** Go's architecture name for the JVM's os.arch (they agree on amd64; aarch64 is arm64 in Go). */
    public static String goArch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> a;
        };
    }

    /** The running kernel's version (uname -r), e.g. "6.18.44-fc". */
    public static String kernelVersion() {
        return System.getProperty("os.version");
    }

    static String ociArch(String goArch) {
        return switch (goArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            case "386" -> "SCMP_ARCH_X86";
            case "arm" -> "SCMP_ARCH_ARM";
            case "riscv64" -> "SCMP_ARCH_RISCV64";
            case "s390x" -> "SCMP_ARCH_S390X";
            case "ppc64le" -> "SCMP_ARCH_PPC64LE";
            default -> "SCMP_ARCH_" + goArch.toUpperCase(java.util.Locale.ROOT);
        };
    }

    /** Compares "major.minor[.patch...]" numerically; anything after the digits of a part is ignored. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? leadingNumber(x[i]) : 0;
            int yi = i < y.length ? leadingNumber(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int leadingNumber(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }
}
