package dev.minidocker.sys;

import java.util.List;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * A libseccomp filter being built: rules are added, then {@link #load()} compiles it to BPF and
 * installs it on the calling thread with seccomp(2). Every failure is a {@link SyscallException}
 * naming the libseccomp function.
 */
public final class SeccompContext implements AutoCloseable {
    private static volatile LibSeccomp lib;

    private Pointer ctx;

    private SeccompContext(Pointer ctx) {
        this.ctx = ctx;
    }

    /** libseccomp, loaded on first use (libseccomp.so.2 from Debian's libseccomp2). */
    public static LibSeccomp lib() {
        LibSeccomp l = lib;
        if (l == null) {
            synchronized (SeccompContext.class) {
                if (lib == null) {
                    try {
                        lib = LibraryLoader.create(LibSeccomp.class).load("seccomp");
                    } catch (UnsatisfiedLinkError e) {
                        throw new UnsatisfiedLinkError("libseccomp not found: install libseccomp2 (" + e.getMessage() + ")");
                    }
                }
                l = lib;
            }
        }
        return l;
    }

    /** seccomp_init(3): a filter for the native architecture whose default is defaultAction. */
    public static SeccompContext init(int defaultAction) {
        Pointer ctx = lib().seccomp_init(defaultAction);
        if (ctx == null || ctx.address() == 0) {
            throw new SyscallException("seccomp_init", Errno.EINVAL, String.format("default action 0x%08x", defaultAction));
        }
        return new SeccompContext(ctx);
    }

    /** The version of libseccomp loaded, e.g. "2.5.4". */
    public static String version() {
        Pointer v = lib().seccomp_version();
        return v.getInt(0) + "." + v.getInt(4) + "." + v.getInt(8);
    }

    /** seccomp_arch_resolve_name(3): the token of "x86_64", "x86", "aarch64"...; 0 if unknown. */
    public static int resolveArch(String name) {
        return lib().seccomp_arch_resolve_name(name);
    }

    /** The system call's number on the native architecture, or __NR_SCMP_ERROR if this libseccomp has no such name. */
    public static int resolveSyscall(String name) {
        return lib().seccomp_syscall_resolve_name(name);
    }

    /** seccomp_arch_add(3); adding an architecture already there (the native one) is no error. */
    public void addArch(int archToken) {
        int r = lib().seccomp_arch_add(ctx(), archToken);
        if (r != -Errno.EEXIST) {
            Syscalls.checkNegatedErrno("seccomp_arch_add", r, String.format("0x%08x", archToken));
        }
    }

    /** seccomp_attr_set(3). */
    public void setAttribute(int attr, int value) {
        Syscalls.checkNegatedErrno("seccomp_attr_set", lib().seccomp_attr_set(ctx(), attr, value), attr + "=" + value);
    }

    // tag::rule-add[]
    /**
     * seccomp_rule_add_array(3): when the call (with arguments matching every comparison) is made,
     * take action. libseccomp translates the rule for each architecture of the filter.
     */
    public void addRule(int action, int syscall, List<ScmpArgCmp> args, String name) {
        Syscalls.checkNegatedErrno("seccomp_rule_add_array",
                lib().seccomp_rule_add_array(ctx(), action, syscall, args.size(), ScmpArgCmp.array(args)), name);
    }
    // end::rule-add[]

    /** seccomp_load(3): compile and install the filter on the calling thread (and on what it execs). */
    public void load() {
        Syscalls.checkNegatedErrno("seccomp_load", lib().seccomp_load(ctx()), null);
    }

    /** seccomp_export_bpf(3): write the compiled program (struct sock_filter, 8 bytes each) to fd. */
    public void exportBpf(int fd) {
        Syscalls.checkNegatedErrno("seccomp_export_bpf", lib().seccomp_export_bpf(ctx(), fd), "fd " + fd);
    }

    private Pointer ctx() {
        if (ctx == null) {
            throw new IllegalStateException("seccomp context already released");
        }
        return ctx;
    }

    @Override
    public void close() {
        if (ctx != null) {
            lib().seccomp_release(ctx);
            ctx = null;
        }
    }
}
