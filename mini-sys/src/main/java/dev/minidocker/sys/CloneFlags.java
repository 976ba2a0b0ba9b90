package dev.minidocker.sys;

import java.util.ArrayList;
import java.util.List;

/** The CLONE_NEW* flags of clone(2), unshare(2) and setns(2), from linux/sched.h. */
public final class CloneFlags {
    public static final int CLONE_NEWTIME = 0x00000080;
    /** Not a namespace: unshare(CLONE_FS) gives the thread its own root, cwd and umask. */
    public static final int CLONE_FS = 0x00000200;
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWCGROUP = 0x02000000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWUSER = 0x10000000;
    public static final int CLONE_NEWPID = 0x20000000;
    public static final int CLONE_NEWNET = 0x40000000;

    private CloneFlags() {
    }

    /** "CLONE_NEWUTS|CLONE_NEWPID" for error messages and narration. */
    public static String describe(int flags) {
        List<String> names = new ArrayList<>();
        if ((flags & CLONE_NEWNS) != 0) names.add("CLONE_NEWNS");
        if ((flags & CLONE_NEWUTS) != 0) names.add("CLONE_NEWUTS");
        if ((flags & CLONE_NEWIPC) != 0) names.add("CLONE_NEWIPC");
        if ((flags & CLONE_NEWPID) != 0) names.add("CLONE_NEWPID");
        if ((flags & CLONE_NEWNET) != 0) names.add("CLONE_NEWNET");
        if ((flags & CLONE_NEWUSER) != 0) names.add("CLONE_NEWUSER");
        if ((flags & CLONE_NEWCGROUP) != 0) names.add("CLONE_NEWCGROUP");
        if ((flags & CLONE_NEWTIME) != 0) names.add("CLONE_NEWTIME");
        int known = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET
                | CLONE_NEWUSER | CLONE_NEWCGROUP | CLONE_NEWTIME;
        if ((flags & ~known) != 0) names.add(String.format("0x%x", flags & ~known));
        return names.isEmpty() ? "0" : String.join("|", names);
    }
}
