package dev.minidocker.container.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Errno;
import dev.minidocker.sys.ScmpArgCmp;
import dev.minidocker.sys.Seccomp;
import dev.minidocker.sys.SeccompContext;

/**
 * Turns an OCI {@code linux.seccomp} into a libseccomp filter and loads it on the calling thread.
 * The filter is a BPF program the kernel runs on every system call the process (and everything
 * it starts) makes: it looks at the architecture, the call's number and its arguments, and
 * returns an action. Rules naming calls this libseccomp does not know are skipped, as runc does,
 * so that one profile serves old and new kernels.
 */
public final class SeccompFilter {
    private SeccompFilter() {
    }

    // tag::load-seccomp[]
    /**
     * Compiles and installs the filter. After this the calling thread (and whatever it execs) runs
     * under it; no call can remove it. Needs no_new_privs set or CAP_SYS_ADMIN (seccomp(2)).
     */
    public static void load(ContainerSpec.Seccomp spec) {
        try (SeccompContext ctx = compile(spec)) {
            ctx.load();
        }
    }
    // end::load-seccomp[]

    /** Writes the compiled BPF program to fd (struct sock_filter, 8 bytes each), for the book and the curious. */
    public static void exportBpf(ContainerSpec.Seccomp spec, int fd) {
        try (SeccompContext ctx = compile(spec)) {
            ctx.exportBpf(fd);
        }
    }

    // tag::compile-seccomp[]
    /** A libseccomp context holding every rule of the spec; the caller closes it. */
    static SeccompContext compile(ContainerSpec.Seccomp spec) {
        int defaultAction = action(spec.defaultAction(), spec.defaultErrnoRet());
        SeccompContext ctx = SeccompContext.init(defaultAction);
        try {
            // the kernel (not libseccomp) sets no_new_privs when the spec asks: see ProcessSecurity
            ctx.setAttribute(Seccomp.SCMP_FLTATR_CTL_NNP, 0);
            for (String flag : spec.flags() == null ? List.<String>of() : spec.flags()) {
                switch (flag) {
                    case "SECCOMP_FILTER_FLAG_LOG" -> ctx.setAttribute(Seccomp.SCMP_FLTATR_CTL_LOG, 1);
                    case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> ctx.setAttribute(Seccomp.SCMP_FLTATR_CTL_SSB, 1);
                    case "SECCOMP_FILTER_FLAG_TSYNC" -> ctx.setAttribute(Seccomp.SCMP_FLTATR_CTL_TSYNC, 1);
                    default -> throw new IllegalArgumentException("seccomp flag " + flag + " is not supported");
                }
            }
            for (String arch : spec.architectures() == null ? List.<String>of() : spec.architectures()) {
                ctx.addArch(arch(arch));
            }
            for (ContainerSpec.Syscall rule : spec.syscalls() == null ? List.<ContainerSpec.Syscall>of() : spec.syscalls()) {
                int action = action(rule.action(), rule.errnoRet()); // a rule's errno is EPERM unless it names one
                if (action == defaultAction) {
                    continue; // libseccomp refuses a rule that changes nothing
                }
                for (String name : rule.names()) {
                    int nr = SeccompContext.resolveSyscall(name);
                    if (nr == Seccomp.__NR_SCMP_ERROR) {
                        continue; // a call this libseccomp (or architecture) does not know
                    }
                    addRule(ctx, action, nr, name, rule.args() == null ? List.of() : rule.args());
                }
            }
            return ctx;
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }
    // end::compile-seccomp[]

    /**
     * Comparisons on different arguments must all hold (one rule). Several on the same argument
     * cannot all hold in libseccomp's model: each becomes a rule of its own, any of which may match,
     * which is what runc does with such profiles.
     */
    private static void addRule(SeccompContext ctx, int action, int nr, String name, List<ContainerSpec.SyscallArg> args) {
        Map<Integer, Integer> perIndex = new HashMap<>();
        List<ScmpArgCmp> cmps = new ArrayList<>();
        for (ContainerSpec.SyscallArg a : args) {
            perIndex.merge(a.index(), 1, Integer::sum);
            cmps.add(new ScmpArgCmp(a.index(), operator(a.op()), a.value(), a.valueTwo()));
        }
        if (perIndex.values().stream().anyMatch(n -> n > 1)) {
            for (ScmpArgCmp c : cmps) {
                ctx.addRule(action, nr, List.of(c), name);
            }
        } else {
            ctx.addRule(action, nr, cmps, name);
        }
    }

    /** An action name of the OCI spec, such as SCMP_ACT_ERRNO, with its errno (EPERM if none is given). */
    static int action(String name, Integer errnoRet) {
        int errno = errnoRet != null ? errnoRet : Errno.EPERM;
        return switch (name) {
            case "SCMP_ACT_ALLOW" -> Seccomp.SCMP_ACT_ALLOW;
            case "SCMP_ACT_ERRNO" -> Seccomp.SCMP_ACT_ERRNO(errno);
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> Seccomp.SCMP_ACT_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> Seccomp.SCMP_ACT_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> Seccomp.SCMP_ACT_TRAP;
            case "SCMP_ACT_TRACE" -> Seccomp.SCMP_ACT_TRACE(errno);
            case "SCMP_ACT_LOG" -> Seccomp.SCMP_ACT_LOG;
            case "SCMP_ACT_NOTIFY" -> throw new IllegalArgumentException(
                    "seccomp action SCMP_ACT_NOTIFY needs a listener, which mini does not support");
            default -> throw new IllegalArgumentException("unknown seccomp action " + name);
        };
    }

    static int operator(String op) {
        return switch (op) {
            case "SCMP_CMP_NE" -> Seccomp.SCMP_CMP_NE;
            case "SCMP_CMP_LT" -> Seccomp.SCMP_CMP_LT;
            case "SCMP_CMP_LE" -> Seccomp.SCMP_CMP_LE;
            case "SCMP_CMP_EQ" -> Seccomp.SCMP_CMP_EQ;
            case "SCMP_CMP_GE" -> Seccomp.SCMP_CMP_GE;
            case "SCMP_CMP_GT" -> Seccomp.SCMP_CMP_GT;
            case "SCMP_CMP_MASKED_EQ" -> Seccomp.SCMP_CMP_MASKED_EQ;
            default -> throw new IllegalArgumentException("unknown seccomp operator " + op);
        };
    }

    /** SCMP_ARCH_X86_64 → libseccomp's "x86_64" → its token. */
    static int arch(String ociName) {
        if (!ociName.startsWith("SCMP_ARCH_")) {
            throw new IllegalArgumentException("unknown seccomp architecture " + ociName);
        }
        int token = SeccompContext.resolveArch(ociName.substring("SCMP_ARCH_".length()).toLowerCase(Locale.ROOT));
        if (token == 0) {
            throw new IllegalArgumentException("unknown seccomp architecture " + ociName);
        }
        return token;
    }
}
