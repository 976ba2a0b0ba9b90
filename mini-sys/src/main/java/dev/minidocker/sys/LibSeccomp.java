package dev.minidocker.sys;

import jnr.ffi.Pointer;

/**
 * libseccomp (Debian's libseccomp2), the library runc, crun and podman use to turn a list of
 * rules into a seccomp BPF program for the right architecture. Declared as seccomp.h declares
 * it; uint32_t is int here. Functions return 0 or a negated errno, so use {@link SeccompContext}.
 *
 * <p>seccomp_rule_add is variadic and takes its struct scmp_arg_cmp arguments by value, which a
 * foreign-function binding cannot pass; the {@code _array} variants take them as an array by
 * pointer, the same rules.
 */
// tag::libseccomp[]
public interface LibSeccomp {
    Pointer seccomp_init(int defaultAction);                 // a filter context, NULL on failure
    void seccomp_release(Pointer ctx);
    int seccomp_arch_add(Pointer ctx, int archToken);
    int seccomp_arch_native();
    int seccomp_arch_resolve_name(String archName);          // 0 if unknown
    int seccomp_syscall_resolve_name(String name);           // __NR_SCMP_ERROR (-1) if unknown
    int seccomp_syscall_resolve_name_arch(int archToken, String name);
    int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCount, Pointer argArray);
    int seccomp_rule_add_exact_array(Pointer ctx, int action, int syscall, int argCount, Pointer argArray);
    int seccomp_attr_set(Pointer ctx, int attr, int value);
    int seccomp_load(Pointer ctx);                           // seccomp(2) for the calling thread
    int seccomp_export_bpf(Pointer ctx, int fd);             // the compiled program, as loaded
    Pointer seccomp_version();                               // const struct scmp_version *
}
// end::libseccomp[]
