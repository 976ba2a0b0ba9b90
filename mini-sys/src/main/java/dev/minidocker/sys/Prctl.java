package dev.minidocker.sys;

/** Options of prctl(2), from linux/prctl.h, and the sub-options of PR_CAP_AMBIENT. */
public final class Prctl {
    /** Signal this process gets when its parent thread dies. */
    public static final int PR_SET_PDEATHSIG = 1;
    /** Keep the permitted capabilities across a change from uid 0 to another uid. */
    public static final int PR_SET_KEEPCAPS = 8;
    public static final int PR_GET_KEEPCAPS = 7;
    /** 0: no seccomp, 1: strict mode, 2: a filter is installed. */
    public static final int PR_GET_SECCOMP = 21;
    /** Is this capability in the calling thread's bounding set? */
    public static final int PR_CAPBSET_READ = 23;
    /** Remove a capability from the bounding set: no execve can give it back. */
    public static final int PR_CAPBSET_DROP = 24;
    /**
     * Make this process a child subreaper: orphaned descendants are reparented to it instead of
     * to init, so it can reap them and learn how they ended (conmon, containerd's shim, tini -s).
     */
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_CHILD_SUBREAPER = 37;
    /** From here on, execve never grants privileges (setuid bits and file capabilities are ignored). */
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_GET_NO_NEW_PRIVS = 39;
    /** The ambient set: capabilities kept across execve of an ordinary (unprivileged) program. */
    public static final int PR_CAP_AMBIENT = 47;
    public static final int PR_CAP_AMBIENT_IS_SET = 1;
    public static final int PR_CAP_AMBIENT_RAISE = 2;
    public static final int PR_CAP_AMBIENT_LOWER = 3;
    public static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    private Prctl() {
    }
}
