package dev.minidocker.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The libseccomp binding: constants against the library, the argument struct, a filter really loaded. */
class SeccompBindingTest {
    private static final long SYS_unshare = 272;  // x86-64 numbers, from asm/unistd_64.h
    private static final long SYS_keyctl = 250;

    @Test
    void architectureTokensAreTheKernelsAuditArchValues() {
        assertEquals(0xC000003E, Seccomp.SCMP_ARCH_X86_64);
        assertEquals(0x40000003, Seccomp.SCMP_ARCH_X86);
        assertEquals(0x4000003E, Seccomp.SCMP_ARCH_X32);
        assertEquals(0xC00000B7, Seccomp.SCMP_ARCH_AARCH64);
        assertEquals(Seccomp.SCMP_ARCH_X86_64, SeccompContext.resolveArch("x86_64"));
        assertEquals(Seccomp.SCMP_ARCH_X86, SeccompContext.resolveArch("x86"));
        assertEquals(Seccomp.SCMP_ARCH_X32, SeccompContext.resolveArch("x32"));
        assertEquals(Seccomp.SCMP_ARCH_AARCH64, SeccompContext.resolveArch("aarch64"));
        assertEquals(0, SeccompContext.resolveArch("no-such-arch"));
    }

    @Test
    void actionsAreThoseOfSeccompH() {
        assertEquals(0x00050001, Seccomp.SCMP_ACT_ERRNO(Errno.EPERM));
        assertEquals(0x7ff00007, Seccomp.SCMP_ACT_TRACE(7));
        assertEquals(0x7fff0000, Seccomp.SCMP_ACT_ALLOW);
        assertTrue(SeccompContext.version().matches("2\\.\\d+\\.\\d+"), SeccompContext.version());
    }

    @Test
    void systemCallNamesResolveToTheirX8664Numbers() {
        assertEquals(Seccomp.SCMP_ARCH_X86_64, SeccompContext.lib().seccomp_arch_native(), "these numbers are x86-64's");
        assertEquals(SYS_unshare, SeccompContext.resolveSyscall("unshare"));
        assertEquals(SYS_keyctl, SeccompContext.resolveSyscall("keyctl"));
        assertEquals(Seccomp.__NR_SCMP_ERROR, SeccompContext.resolveSyscall("no_such_call"));
    }

    @Test
    void argumentComparisonHasTheLayoutOfStructScmpArgCmp() {
        assertEquals(24, ScmpArgCmp.SIZE);
        jnr.ffi.Pointer p = ScmpArgCmp.array(List.of(new ScmpArgCmp(0, Seccomp.SCMP_CMP_EQ, 8, 0),
                new ScmpArgCmp(1, Seccomp.SCMP_CMP_MASKED_EQ, 0x7E020000L, 0xffff_ffff_0000_0000L)));
        assertEquals(0, p.getInt(0));
        assertEquals(4, p.getInt(4));
        assertEquals(8, p.getLong(8));
        assertEquals(1, p.getInt(24));
        assertEquals(7, p.getInt(28));
        assertEquals(0x7E020000L, p.getLong(32));
        assertEquals(0xffff_ffff_0000_0000L, p.getLong(40));
    }

    @Test
    void exportedProgramStartsByCheckingTheArchitecture() throws IOException {
        Path file = Files.createTempFile("seccomp", ".bpf");
        try (SeccompContext ctx = SeccompContext.init(Seccomp.SCMP_ACT_ALLOW)) {
            ctx.addRule(Seccomp.SCMP_ACT_ERRNO(Errno.EPERM), (int) SYS_keyctl, List.of(), "keyctl");
            int fd = Syscalls.open(file.toString(), Mman.O_RDWR);
            try {
                ctx.exportBpf(fd);
            } finally {
                Syscalls.close(fd);
            }
            ByteBuffer bpf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
            assertEquals(0, bpf.remaining() % 8, "struct sock_filter is 8 bytes");
            // { code, jt, jf, k }: BPF_LD|BPF_W|BPF_ABS of offsetof(struct seccomp_data, arch) = 4
            assertEquals(0x20, bpf.getShort(0));
            assertEquals(4, bpf.getInt(4));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void loadedFilterRefusesWhatItNamesOnItsThreadOnly() {
        AtomicLong refused = new AtomicLong();
        AtomicInteger errno = new AtomicInteger();
        AtomicLong allowed = new AtomicLong();
        AtomicInteger mode = new AtomicInteger();
        CapabilityBindingTest.onOwnThread(() -> {
            try (SeccompContext ctx = SeccompContext.init(Seccomp.SCMP_ACT_ALLOW)) {
                // unshare(CLONE_NEWUTS) fails with EXDEV, an errno nothing else would give; other flags pass
                ctx.addRule(Seccomp.SCMP_ACT_ERRNO(18), (int) SYS_unshare,
                        List.of(new ScmpArgCmp(0, Seccomp.SCMP_CMP_EQ, CloneFlags.CLONE_NEWUTS, 0)), "unshare");
                ctx.load(); // libseccomp sets no_new_privs first (its default), so no privilege is needed
            }
            refused.set(Native.libc().syscall(SYS_unshare, CloneFlags.CLONE_NEWUTS, 0, 0));
            errno.set(Native.lastErrno());
            allowed.set(Native.libc().syscall(SYS_unshare, 0, 0, 0)); // unshare(0) changes nothing
            mode.set(Syscalls.prctl(Prctl.PR_GET_SECCOMP, 0));
        });
        assertEquals(-1, refused.get());
        assertEquals(18, errno.get(), Errno.name(errno.get()));
        assertEquals(0, allowed.get());
        assertEquals(2, mode.get(), "PR_GET_SECCOMP: 2 is SECCOMP_MODE_FILTER");
        assertEquals(0, Syscalls.prctl(Prctl.PR_GET_SECCOMP, 0), "the test's own thread got the filter too");
    }

    @Test
    void statfsReadsTypeAndMountFlags() {
        StatFs proc = StatFs.of("/proc");
        assertEquals(StatFs.PROC_SUPER_MAGIC, proc.type());
        String options = procMountOptions();
        assertEquals(options.contains("nosuid"), (proc.flags() & StatFs.ST_NOSUID) != 0, options);
        assertEquals(options.contains("noexec"), (proc.flags() & StatFs.ST_NOEXEC) != 0, options);
        assertEquals(options.startsWith("ro"), (proc.flags() & StatFs.ST_RDONLY) != 0, options);
    }

    private static String procMountOptions() {
        for (String line : CapabilityBindingTest.read(Path.of("/proc/self/mountinfo")).split("\n")) {
            String[] f = line.split(" ");
            if (f[4].equals("/proc")) {
                return f[5];
            }
        }
        throw new AssertionError("no /proc in mountinfo");
    }
}
