package dev.minidocker.container.ns;

import dev.minidocker.sys.CloneFlags;

/**
 * The kinds of Linux namespace (namespaces(7)), each with its CLONE_NEW* flag and its name
 * under /proc/PID/ns.
 */
public enum Namespace {
    /** Hostname and NIS domain name (uts_namespaces(7)). */
    UTS(CloneFlags.CLONE_NEWUTS, "uts"),
    /** System V IPC objects and POSIX message queues (ipc_namespaces(7)). */
    IPC(CloneFlags.CLONE_NEWIPC, "ipc"),
    /** Network devices, addresses, routes, ports (network_namespaces(7)). */
    NET(CloneFlags.CLONE_NEWNET, "net"),
    /** The mount table (mount_namespaces(7)). */
    MOUNT(CloneFlags.CLONE_NEWNS, "mnt"),
    /** Process IDs (pid_namespaces(7)): the first process in it is PID 1. */
    PID(CloneFlags.CLONE_NEWPID, "pid"),
    /** The view of /proc/self/cgroup and the cgroup root (cgroup_namespaces(7)). */
    CGROUP(CloneFlags.CLONE_NEWCGROUP, "cgroup"),
    /** User and group IDs (user_namespaces(7)). */
    USER(CloneFlags.CLONE_NEWUSER, "user");

    private final int flag;
    private final String procName;

    Namespace(int flag, String procName) {
        this.flag = flag;
        this.procName = procName;
    }

    /** The CLONE_NEW* flag for unshare(2) and clone(2). */
    public int flag() {
        return flag;
    }

    /** The file name under /proc/PID/ns/. */
    public String procName() {
        return procName;
    }
}
