package dev.minidocker.container.security;

import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.CapabilitySets;
import dev.minidocker.sys.Prctl;
import dev.minidocker.sys.SeccompContext;
import dev.minidocker.sys.Syscalls;

/**
 * The last steps before execve: what the container's process may do from then on. Everything
 * here changes the calling thread (capabilities, no_new_privs and a seccomp filter are per
 * thread), and execve hands it to the command, so the init stage applies it on the thread that
 * will execve, with nothing after it but execve.
 *
 * <p>Two halves: {@link #prepare} decides everything and compiles the seccomp filter while the
 * host's files are still visible (libseccomp is loaded from the host's /usr/lib, this class from
 * the runtime's class path: after pivot_root or setns into the container both are gone);
 * {@link #applyBeforeExec()} then only makes system calls.
 */
public final class ProcessSecurity {
    private final boolean noNewPrivs;
    private final SeccompContext seccomp;       // compiled, not yet loaded; null: no filter
    private final int[] boundingDrop;           // null: capabilities not asked for
    private final CapabilitySets sets;
    private final int[] ambient;
    private final int uid, gid;
    private final int[] groups;                 // null: no user asked for
    private final Integer umask;

    private ProcessSecurity(ContainerSpec.Process p, ContainerSpec.Linux l) {
        noNewPrivs = Boolean.TRUE.equals(p.noNewPrivileges());
        ContainerSpec.Capabilities caps = p.capabilities();
        if (caps != null) {
            boundingDrop = CapabilityDrop.notIn(caps.bounding());
            sets = new CapabilitySets(Capability.mask(caps.effective()), Capability.mask(caps.permitted()),
                    Capability.mask(caps.inheritable()));
            ambient = (caps.ambient() == null ? List.<String>of() : caps.ambient()).stream()
                    .mapToInt(n -> Capability.parse(n).number()).toArray();
        } else {
            boundingDrop = null;
            sets = null;
            ambient = null;
        }
        ContainerSpec.User user = p.user();
        if (user != null) {
            uid = id(user.uid(), "uid");
            gid = id(user.gid(), "gid");
            List<Long> extra = user.additionalGids() == null ? List.of() : user.additionalGids();
            groups = extra.stream().mapToInt(g -> id(g, "additional gid")).toArray();
            umask = user.umask();
        } else {
            uid = gid = -1;
            groups = null;
            umask = null;
        }
        Syscalls.capget(); // harmless; loads what capset will need, like the compiled filter below
        try {
            seccomp = l == null || l.seccomp() == null ? null : SeccompFilter.compile(l.seccomp());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("the spec asks for a seccomp filter but libseccomp is missing: install libseccomp2"
                    + " (or run with --security-opt seccomp=unconfined)", e);
        }
    }

    /** Checks and compiles what the spec asks; a clear IllegalArgumentException if it cannot be done. */
    public static ProcessSecurity prepare(ContainerSpec.Process p, ContainerSpec.Linux l) {
        return new ProcessSecurity(p, l);
    }

    /** Both halves at once, for a caller that still sees the host's files. */
    public static void applyBeforeExec(ContainerSpec.Process p, ContainerSpec.Linux l) {
        prepare(p, l).applyBeforeExec();
    }

    // tag::apply-before-exec[]
    /**
     * In this order:
     * <ol>
     * <li>no_new_privs, if asked: setuid programs and file capabilities no longer raise privileges;</li>
     * <li>seccomp now if no_new_privs is not set: loading a filter then needs CAP_SYS_ADMIN, which
     *     is about to go (runc does the same); the filter allows the calls of the steps below;</li>
     * <li>the bounding set, while CAP_SETPCAP is still there;</li>
     * <li>groups and user, with PR_SET_KEEPCAPS so that a uid change keeps the permitted set;</li>
     * <li>effective, permitted, inheritable and ambient capabilities;</li>
     * <li>seccomp last when no_new_privs is set: as few calls as possible run under it before execve.</li>
     * </ol>
     * Parts the spec leaves out (null) are not asked for and change nothing.
     */
    public void applyBeforeExec() {
        if (noNewPrivs) {
            Syscalls.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, "PR_SET_NO_NEW_PRIVS");
        }
        if (seccomp != null && !noNewPrivs) {
            loadSeccomp();
        }
        if (boundingDrop != null) {
            CapabilityDrop.dropBounding(boundingDrop);
        }
        if (groups != null) {
            switchUser();
        }
        if (sets != null) {
            CapabilityDrop.apply(sets, ambient);
        }
        if (seccomp != null && noNewPrivs) {
            loadSeccomp();
        }
    }
    // end::apply-before-exec[]

    private void loadSeccomp() {
        try {
            seccomp.load();
        } finally {
            seccomp.close();
        }
    }

    /** /proc/self/setgroups says "deny": this user namespace was mapped by its unprivileged owner (user_namespaces(7)). */
    private static boolean setgroupsDenied() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/setgroups")).trim().equals("deny");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    // tag::switch-user[]
    /**
     * setgroups, setresgid, setresuid: groups first, because changing them needs CAP_SETGID,
     * and the uid last, because after it a non-root user cannot change the others. Without
     * PR_SET_KEEPCAPS the kernel would clear the permitted set on leaving uid 0, and the
     * capability sets of the spec could not be set afterwards. All three change this thread only
     * (see {@link Syscalls#setresuid}): for exec the thread belongs to a runtime that goes on.
     */
    private void switchUser() {
        if (groups.length > 0 || !setgroupsDenied()) {
            Syscalls.setgroups(groups); // even none: the runtime's own groups must not stay
        } // rootless: unshare --map-root-user had to deny setgroups(2) to map a gid, and dropped the groups itself
        Syscalls.prctl(Prctl.PR_SET_KEEPCAPS, 1, 0, "PR_SET_KEEPCAPS");
        Syscalls.setresgid(gid, gid, gid);
        Syscalls.setresuid(uid, uid, uid);
        Syscalls.prctl(Prctl.PR_SET_KEEPCAPS, 0, 0, "PR_SET_KEEPCAPS");
        if (umask != null) {
            dev.minidocker.sys.Native.libc().umask(umask);
        }
    }
    // end::switch-user[]

    private static int id(long id, String what) {
        if (id < 0 || id > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + id + " out of range 0-" + Integer.MAX_VALUE);
        }
        return (int) id;
    }
}
