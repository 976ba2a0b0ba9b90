package dev.minidocker.container.security;

import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;

/**
 * mini's default seccomp profile, with the semantics of docker's: an allow-list (every system
 * call not named fails with EPERM), the calls that need a capability allowed only when the
 * container has it, and argument filters where a call is harmless with some arguments only.
 * What is left out is what reaches past the container into the shared kernel: keyctl, add_key
 * and request_key (the kernel keyring is not namespaced), mount, unshare and setns (new
 * namespaces), bpf, perf_event_open, reboot, kexec_load, the module calls, clock_settime,
 * swapon, userfaultfd, open_by_handle_at (the "shocker" escape), and so on.
 *
 * <p>The lists are grouped by what the calls are for, so that a reader can see why each group is safe.
 */
public final class DefaultSeccompProfile {
    private static final String ALLOW = "SCMP_ACT_ALLOW";

    /** Files, directories and their metadata: all within what the filesystem's permissions allow. */
    static final List<String> FILES = List.of(
            "access", "chdir", "chmod", "chown", "chown32", "close", "close_range", "copy_file_range", "creat",
            "dup", "dup2", "dup3", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fchdir",
            "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync", "flock", "fstat",
            "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futimesat", "getcwd",
            "getdents", "getdents64", "lchown", "lchown32", "link", "linkat", "_llseek", "lseek", "lstat", "lstat64",
            "mkdir", "mkdirat", "mknod", "mknodat", "name_to_handle_at", "newfstatat", "open", "openat", "openat2",
            "pread64", "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink",
            "readlinkat", "readv", "rename", "renameat", "renameat2", "rmdir", "sendfile", "sendfile64", "splice",
            "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "sync", "sync_file_range",
            "syncfs", "tee", "truncate", "truncate64", "umask", "unlink", "unlinkat", "utime", "utimensat",
            "utimensat_time64", "utimes", "vmsplice", "write", "writev",
            // extended attributes
            "fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "getxattr", "lgetxattr", "listxattr",
            "llistxattr", "lremovexattr", "lsetxattr", "removexattr", "setxattr");

    /** Waiting for descriptors, events and timers; asynchronous I/O; ioctl on what the process may open. */
    static final List<String> EVENTS_AND_IO = List.of(
            "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
            "epoll_wait_old", "eventfd", "eventfd2", "fanotify_mark", "inotify_add_watch", "inotify_init",
            "inotify_init1", "inotify_rm_watch", "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64",
            "select", "_newselect", "signalfd", "signalfd4", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
            "timerfd_settime", "timerfd_settime64",
            "io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_setup",
            "io_submit", "io_uring_enter", "io_uring_register", "io_uring_setup", "ioprio_get", "ioprio_set", "ioctl");

    /** The process's own memory. */
    static final List<String> MEMORY = List.of(
            "brk", "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mlock", "mlock2", "mlockall",
            "mmap", "mmap2", "mprotect", "mremap", "msync", "munlock", "munlockall", "munmap", "pkey_alloc",
            "pkey_free", "pkey_mprotect", "process_mrelease", "remap_file_pages");

    /**
     * Processes and threads: creating (clone has its own rule), running, waiting, scheduling,
     * limits, and the calls a process uses to restrict itself further (prctl, seccomp, landlock).
     */
    static final List<String> PROCESSES = List.of(
            "execve", "execveat", "exit", "exit_group", "fork", "vfork", "wait4", "waitid", "waitpid",
            "getpid", "getppid", "gettid", "getpgid", "getpgrp", "setpgid", "getsid", "setsid",
            "getpriority", "setpriority", "getrlimit", "setrlimit", "ugetrlimit", "prlimit64", "getrusage",
            "get_robust_list", "set_robust_list", "set_tid_address", "get_thread_area", "set_thread_area", "rseq",
            "restart_syscall", "futex", "futex_time64", "futex_waitv", "getcpu",
            "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
            "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
            "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield",
            "pidfd_open", "pidfd_send_signal",
            "prctl", "seccomp", "capget", "capset", "landlock_add_rule", "landlock_create_ruleset",
            "landlock_restrict_self");

    /** User and group IDs: changing them still needs CAP_SETUID/CAP_SETGID, which the kernel checks. */
    static final List<String> IDS = List.of(
            "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32",
            "getresgid", "getresgid32", "getresuid", "getresuid32", "getuid", "getuid32",
            "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32",
            "setregid", "setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid",
            "setreuid32", "setuid", "setuid32");

    /** Signals (the PID namespace limits whom they reach). */
    static final List<String> SIGNALS = List.of(
            "alarm", "kill", "pause", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo",
            "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
            "sigaltstack", "sigprocmask", "sigreturn", "tgkill", "tkill");

    /** Reading clocks and sleeping; setting the clock is CAP_SYS_TIME's rule. adjtimex only reads without it. */
    static final List<String> TIME = List.of(
            "adjtimex", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64", "clock_gettime",
            "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "getitimer", "setitimer",
            "gettimeofday", "nanosleep", "time", "times", "timer_create", "timer_delete", "timer_getoverrun",
            "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64");

    /** Pipes and System V / POSIX IPC (the IPC namespace keeps them the container's own). */
    static final List<String> IPC = List.of(
            "pipe", "pipe2", "ipc", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
            "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "msgctl", "msgget",
            "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "shmat", "shmctl",
            "shmdt", "shmget");

    /** Sockets, once made (socket itself has its own rule), in the container's network namespace. */
    static final List<String> SOCKETS = List.of(
            "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt", "listen", "recv",
            "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send", "sendmmsg", "sendmsg", "sendto",
            "setsockopt", "shutdown", "socketcall", "socketpair");

    /** What the system is: names and random numbers. */
    static final List<String> SYSTEM = List.of("getrandom", "sysinfo", "uname");

    /** CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET: clone may create no namespace (0x7E020000). */
    static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;

    /** AF_VSOCK: sockets to the hypervisor's host are not the container's network. */
    static final long AF_VSOCK = 40;

    /**
     * personality(2) values a program may set: PER_LINUX (0), PER_LINUX | UNAME26 (8), PER_LINUX32
     * (0x20000), PER_LINUX32 | UNAME26 and 0xffffffff (which only asks). Others, such as
     * ADDR_NO_RANDOMIZE, would turn off protections of the kernel.
     */
    static final List<Long> PERSONALITIES = List.of(0x0L, 0x0008L, 0x20000L, 0x20008L, 0xffffffffL);

    private DefaultSeccompProfile() {
    }

    // tag::default-profile[]
    public static SeccompProfile profile() {
        List<SeccompProfile.Rule> rules = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (List<String> group : List.of(FILES, EVENTS_AND_IO, MEMORY, PROCESSES, IDS, SIGNALS, TIME, IPC, SOCKETS, SYSTEM)) {
            allowed.addAll(group);
        }
        rules.add(new SeccompProfile.Rule(allowed, ALLOW, null));
        // ptrace could bypass seccomp before Linux 4.8; since then the filter is checked again after a tracer changes a call
        rules.add(rule(List.of("process_vm_readv", "process_vm_writev", "ptrace"), null, null, "4.8"));
        rules.add(new SeccompProfile.Rule(List.of("socket"), ALLOW, List.of(arg(0, AF_VSOCK, 0, "SCMP_CMP_NE"))));
        for (long persona : PERSONALITIES) {
            rules.add(new SeccompProfile.Rule(List.of("personality"), ALLOW, List.of(arg(0, persona, 0, "SCMP_CMP_EQ"))));
        }
        // calls that exist on some architectures only
        rules.add(rule(List.of("arch_prctl"), null, List.of("amd64", "x32"), null));
        rules.add(rule(List.of("modify_ldt"), null, List.of("amd64", "x32", "x86"), null));
        rules.add(rule(List.of("sync_file_range2", "swapcontext"), null, List.of("ppc64le"), null));
        rules.add(rule(List.of("arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush",
                "set_tls"), null, List.of("arm", "arm64"), null));
        rules.add(rule(List.of("s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"), null, List.of("s390", "s390x"), null));
        rules.add(rule(List.of("riscv_flush_icache"), null, List.of("riscv64"), null));
        // calls whose power is a capability's: allowed exactly when the container holds it
        rules.add(rule(List.of("open_by_handle_at"), "CAP_DAC_READ_SEARCH", null, null));
        rules.add(rule(List.of("bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
                "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl",
                "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare"),
                "CAP_SYS_ADMIN", null, null));
        rules.add(rule(List.of("reboot"), "CAP_SYS_BOOT", null, null));
        rules.add(rule(List.of("chroot"), "CAP_SYS_CHROOT", null, null));
        rules.add(rule(List.of("delete_module", "init_module", "finit_module"), "CAP_SYS_MODULE", null, null));
        rules.add(rule(List.of("acct"), "CAP_SYS_PACCT", null, null));
        rules.add(rule(List.of("kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"),
                "CAP_SYS_PTRACE", null, null));
        rules.add(rule(List.of("iopl", "ioperm"), "CAP_SYS_RAWIO", null, null));
        rules.add(rule(List.of("settimeofday", "stime", "clock_settime", "clock_settime64"), "CAP_SYS_TIME", null, null));
        rules.add(rule(List.of("vhangup"), "CAP_SYS_TTY_CONFIG", null, null));
        rules.add(rule(List.of("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"), "CAP_SYS_NICE", null, null));
        rules.add(rule(List.of("syslog"), "CAP_SYSLOG", null, null));
        rules.add(rule(List.of("bpf"), "CAP_BPF", null, null));
        rules.add(rule(List.of("perf_event_open"), "CAP_PERFMON", null, null));
        // without CAP_SYS_ADMIN: clone, but only without namespace flags (s390 passes the flags second)
        SeccompProfile.Filter noSysAdmin = new SeccompProfile.Filter(List.of("CAP_SYS_ADMIN"), List.of("s390", "s390x"), null);
        rules.add(new SeccompProfile.Rule(null, List.of("clone"), ALLOW, null,
                List.of(arg(0, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ")), null, noSysAdmin, null));
        rules.add(new SeccompProfile.Rule(null, List.of("clone"), ALLOW, null,
                List.of(arg(1, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ")),
                new SeccompProfile.Filter(null, List.of("s390", "s390x"), null),
                new SeccompProfile.Filter(List.of("CAP_SYS_ADMIN"), null, null), "s390 passes clone's flags second"));
        // clone3 passes its flags in a struct a filter cannot read: ENOSYS makes libc fall back to clone
        rules.add(new SeccompProfile.Rule(null, List.of("clone3"), "SCMP_ACT_ERRNO", 38, null, null,
                new SeccompProfile.Filter(List.of("CAP_SYS_ADMIN"), null, null), null));
        return new SeccompProfile("SCMP_ACT_ERRNO", 1,
                List.of(new SeccompProfile.ArchMap("SCMP_ARCH_X86_64", List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32")),
                        new SeccompProfile.ArchMap("SCMP_ARCH_AARCH64", List.of("SCMP_ARCH_ARM")),
                        new SeccompProfile.ArchMap("SCMP_ARCH_S390X", List.of("SCMP_ARCH_S390")),
                        new SeccompProfile.ArchMap("SCMP_ARCH_RISCV64", List.of())),
                null, null, rules);
    }
    // end::default-profile[]

    /** The default profile resolved for a container with these capabilities on this machine. */
    public static ContainerSpec.Seccomp forCapabilities(List<String> caps) {
        return profile().resolve(caps, SeccompProfile.goArch(), SeccompProfile.kernelVersion());
    }

    private static SeccompProfile.Rule rule(List<String> names, String cap, List<String> arches, String minKernel) {
        return new SeccompProfile.Rule(null, names, ALLOW, null, null,
                new SeccompProfile.Filter(cap == null ? null : List.of(cap), arches, minKernel), null, null);
    }

    private static ContainerSpec.SyscallArg arg(int index, long value, long valueTwo, String op) {
        return new ContainerSpec.SyscallArg(index, value, valueTwo, op);
    }
}
