package dev.minidocker.sys;

/**
 * The constants of libseccomp's seccomp.h: actions, comparison operators, filter attributes and
 * the architecture tokens (the kernel's AUDIT_ARCH_* values from linux/audit.h, which a filter
 * compares with seccomp_data.arch).
 */
public final class Seccomp {
    // Actions: what the kernel does when a rule matches (the top 16 bits), with data in the low 16.
    public static final int SCMP_ACT_KILL_PROCESS = 0x80000000;
    public static final int SCMP_ACT_KILL_THREAD = 0x00000000;
    public static final int SCMP_ACT_KILL = SCMP_ACT_KILL_THREAD;
    public static final int SCMP_ACT_TRAP = 0x00030000;
    public static final int SCMP_ACT_NOTIFY = 0x7fc00000;
    public static final int SCMP_ACT_LOG = 0x7ffc0000;
    public static final int SCMP_ACT_ALLOW = 0x7fff0000;

    /** The call fails with this errno instead of running. */
    public static int SCMP_ACT_ERRNO(int errno) {
        return 0x00050000 | (errno & 0xffff);
    }

    /** A ptrace(2) tracer is told (PTRACE_EVENT_SECCOMP, with msg). */
    public static int SCMP_ACT_TRACE(int msg) {
        return 0x7ff00000 | (msg & 0xffff);
    }

    // enum scmp_compare: how a rule compares one system call argument.
    public static final int SCMP_CMP_NE = 1;
    public static final int SCMP_CMP_LT = 2;
    public static final int SCMP_CMP_LE = 3;
    public static final int SCMP_CMP_EQ = 4;
    public static final int SCMP_CMP_GE = 5;
    public static final int SCMP_CMP_GT = 6;
    /** (arg & datum_a) == datum_b. */
    public static final int SCMP_CMP_MASKED_EQ = 7;

    // enum scmp_filter_attr
    public static final int SCMP_FLTATR_ACT_DEFAULT = 1;
    public static final int SCMP_FLTATR_ACT_BADARCH = 2;
    /** Whether seccomp_load sets no_new_privs first (libseccomp's default is 1). */
    public static final int SCMP_FLTATR_CTL_NNP = 3;
    public static final int SCMP_FLTATR_CTL_TSYNC = 4;
    public static final int SCMP_FLTATR_CTL_LOG = 6;
    public static final int SCMP_FLTATR_CTL_SSB = 7;

    /** __NR_SCMP_ERROR: what seccomp_syscall_resolve_name returns for a name it does not know. */
    public static final int __NR_SCMP_ERROR = -1;

    // Architecture tokens: AUDIT_ARCH_* = EM_* | __AUDIT_ARCH_64BIT? | __AUDIT_ARCH_LE
    public static final int __AUDIT_ARCH_64BIT = 0x80000000;
    public static final int __AUDIT_ARCH_LE = 0x40000000;
    public static final int EM_386 = 3;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int SCMP_ARCH_X86_64 = EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE;
    public static final int SCMP_ARCH_X86 = EM_386 | __AUDIT_ARCH_LE;
    /** x32 uses the x86-64 token; its system call numbers carry __X32_SYSCALL_BIT instead. */
    public static final int SCMP_ARCH_X32 = EM_X86_64 | __AUDIT_ARCH_LE;
    public static final int SCMP_ARCH_AARCH64 = EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE;
    public static final int SCMP_ARCH_ARM = EM_ARM | __AUDIT_ARCH_LE;

    private Seccomp() {
    }
}
