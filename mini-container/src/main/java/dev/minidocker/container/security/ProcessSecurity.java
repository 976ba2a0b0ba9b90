package dev.minidocker.container.security;

import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Prctl;
import dev.minidocker.sys.Syscalls;

/**
 * The last steps before execve: what the container's process may do from then on. Everything
 * here changes the calling thread (capabilities, no_new_privs and a seccomp filter are per
 * thread), and execve hands it to the command, so the init stage calls this from the thread
 * that will execve, and nothing after it but execve.
 */
public final class ProcessSecurity {
    private ProcessSecurity() {
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
     * Null parts of the spec are not asked for and change nothing.
     */
    public static void applyBeforeExec(ContainerSpec.Process p, ContainerSpec.Linux l) {
        boolean noNewPrivs = Boolean.TRUE.equals(p.noNewPrivileges());
        ContainerSpec.Seccomp seccomp = l == null ? null : l.seccomp();
        if (noNewPrivs) {
            Syscalls.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, "PR_SET_NO_NEW_PRIVS");
        }
        if (seccomp != null && !noNewPrivs) {
            SeccompFilter.load(seccomp);
        }
        ContainerSpec.Capabilities caps = p.capabilities();
        if (caps != null) {
            CapabilityDrop.dropBounding(caps.bounding());
        }
        if (p.user() != null) {
            switchUser(p.user());
        }
        if (caps != null) {
            CapabilityDrop.apply(caps);
        }
        if (seccomp != null && noNewPrivs) {
            SeccompFilter.load(seccomp);
        }
    }
    // end::apply-before-exec[]

    // tag::switch-user[]
    /**
     * setgroups, setresgid, setresuid: groups first, because changing them needs CAP_SETGID,
     * and the uid last, because after it a non-root user cannot change the others. Without
     * PR_SET_KEEPCAPS the kernel would clear the permitted set on leaving uid 0, and the
     * capability sets of the spec could not be set afterwards.
     */
    static void switchUser(ContainerSpec.User user) {
        List<Long> extra = user.additionalGids() == null ? List.of() : user.additionalGids();
        int[] groups = new int[extra.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = (int) (long) extra.get(i);
        }
        Syscalls.setgroups(groups); // even none: the runtime's own groups must not stay
        Syscalls.prctl(Prctl.PR_SET_KEEPCAPS, 1, 0, "PR_SET_KEEPCAPS");
        Syscalls.setresgid((int) user.gid(), (int) user.gid(), (int) user.gid());
        Syscalls.setresuid((int) user.uid(), (int) user.uid(), (int) user.uid());
        Syscalls.prctl(Prctl.PR_SET_KEEPCAPS, 0, 0, "PR_SET_KEEPCAPS");
    }
    // end::switch-user[]
}
