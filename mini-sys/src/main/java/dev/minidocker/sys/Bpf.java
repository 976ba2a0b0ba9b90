package dev.minidocker.sys;

import java.nio.charset.StandardCharsets;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * bpf(2), for the two commands a container runtime needs: load a program, attach it to a cgroup.
 * The values are those of {@code <linux/bpf.h>}; {@code union bpf_attr} is laid out by hand for
 * each command, as the KVM structs are, and zeroed beyond the fields set (the kernel refuses
 * a non-zero tail it does not know).
 */
public final class Bpf {
    /** __NR_bpf on x86-64. */
    static final long SYS_bpf = 321;

    // enum bpf_cmd
    public static final int BPF_PROG_LOAD = 5;
    public static final int BPF_PROG_ATTACH = 8;
    public static final int BPF_PROG_DETACH = 9;
    // enum bpf_prog_type
    public static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    // enum bpf_attach_type
    public static final int BPF_CGROUP_DEVICE = 6;
    // attach flags: several programs on one cgroup, each of which must allow (what runc passes)
    public static final int BPF_F_ALLOW_OVERRIDE = 1 << 0;
    public static final int BPF_F_ALLOW_MULTI = 1 << 1;

    /** Bytes of union bpf_attr passed: more than any field used here, all zero past them. */
    static final int ATTR_SIZE = 128;
    /** Room for the verifier's explanation when a load fails. */
    static final int LOG_SIZE = 1 << 16;

    private Bpf() {
    }

    // tag::prog-load[]
    /**
     * BPF_PROG_LOAD: the kernel's verifier checks the program (every path ends, every read is
     * in bounds of the context) and returns a descriptor for it. When it refuses, the load is
     * tried again with log_level 1 and the verifier's last words go into the exception.
     */
    public static int progLoad(int progType, byte[] insns, String license) {
        Pointer code = Memory.allocateDirect(Native.runtime(), insns.length, true);
        code.put(0, insns, 0, insns.length);
        byte[] lic = (license + "\0").getBytes(StandardCharsets.US_ASCII);
        Pointer licence = Memory.allocateDirect(Native.runtime(), lic.length, true);
        licence.put(0, lic, 0, lic.length);
        Pointer attr = Memory.allocateDirect(Native.runtime(), ATTR_SIZE, true);
        attr.putInt(0, progType);                 // prog_type
        attr.putInt(4, insns.length / 8);         // insn_cnt (struct bpf_insn is 8 bytes)
        attr.putLong(8, code.address());          // insns
        attr.putLong(16, licence.address());      // license
        long fd = bpf(BPF_PROG_LOAD, attr);
        java.lang.ref.Reference.reachabilityFence(code);    // the kernel read them through their addresses
        java.lang.ref.Reference.reachabilityFence(licence);
        if (fd >= 0) {
            return (int) fd;
        }
        int errno = Native.lastErrno();
        Pointer log = Memory.allocateDirect(Native.runtime(), LOG_SIZE, true);
        attr.putInt(24, 1);                       // log_level
        attr.putInt(28, LOG_SIZE);                // log_size
        attr.putLong(32, log.address());          // log_buf
        fd = bpf(BPF_PROG_LOAD, attr);
        java.lang.ref.Reference.reachabilityFence(code);
        java.lang.ref.Reference.reachabilityFence(licence);
        if (fd >= 0) {
            return (int) fd;                      // loads with a log: take it
        }
        String words = log.getString(0, LOG_SIZE, StandardCharsets.US_ASCII).strip();
        throw new SyscallException("bpf(BPF_PROG_LOAD)", errno, words.isEmpty() ? null
                : "verifier: " + words.substring(Math.max(0, words.length() - 300)).replace('\n', ' '));
    }
    // end::prog-load[]

    // tag::prog-attach[]
    /** BPF_PROG_ATTACH: runs the program for everything in the cgroup whose directory targetFd is open on. */
    public static void progAttach(int targetFd, int progFd, int attachType, int flags) {
        Pointer attr = Memory.allocateDirect(Native.runtime(), ATTR_SIZE, true);
        attr.putInt(0, targetFd);                 // target_fd
        attr.putInt(4, progFd);                   // attach_bpf_fd
        attr.putInt(8, attachType);               // attach_type
        attr.putInt(12, flags);                   // attach_flags
        Syscalls.check("bpf(BPF_PROG_ATTACH)", bpf(BPF_PROG_ATTACH, attr), "fd " + targetFd);
    }
    // end::prog-attach[]

    private static long bpf(int cmd, Pointer attr) {
        return Native.libc().syscall(SYS_bpf, cmd, attr.address(), ATTR_SIZE);
    }
}
