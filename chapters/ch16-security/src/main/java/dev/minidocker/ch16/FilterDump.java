package dev.minidocker.ch16;

import static dev.minidocker.container.bpf.BpfInsn.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.minidocker.container.security.SeccompFilter;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.SeccompContext;
import dev.minidocker.sys.Syscalls;

/**
 * A seccomp filter as the kernel receives it: libseccomp compiles the profile into classic BPF
 * ({@code struct sock_filter}: a 16-bit opcode, two 8-bit jump offsets for true and false, a
 * 32-bit constant), and this prints each instruction the way {@code bpf_dbg} or
 * {@code seccomp-tools} would, naming the fields of {@code struct seccomp_data} it loads, the
 * calls it compares with and the actions it returns.
 */
public final class FilterDump {
    /** sizeof(struct sock_filter) */
    static final int SOCK_FILTER = 8;
    /** AUDIT_ARCH_X86_64 of {@code <linux/audit.h>}: EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    /** The return values of {@code <linux/seccomp.h>}: the action in the upper 16 bits, data (an errno) below. */
    static final int SECCOMP_RET_KILL_PROCESS = 0x80000000, SECCOMP_RET_KILL_THREAD = 0, SECCOMP_RET_TRAP = 0x00030000,
            SECCOMP_RET_ERRNO = 0x00050000, SECCOMP_RET_TRACE = 0x7ff00000, SECCOMP_RET_LOG = 0x7ffc0000,
            SECCOMP_RET_ALLOW = 0x7fff0000, SECCOMP_RET_ACTION_FULL = 0xffff0000;

    /** One struct sock_filter. */
    public record SockFilter(int code, int jt, int jf, int k) {
    }

    private FilterDump() {
    }

    /** The filter libseccomp compiles for spec, read back from seccomp_export_bpf(3) through a file. */
    public static List<SockFilter> compiled(ContainerSpec.Seccomp spec) {
        try {
            Path file = Files.createTempFile("ch16-filter", ".bpf");
            try {
                int fd = Syscalls.open(file.toString(), Mman.O_WRONLY | Mman.O_CLOEXEC);
                try {
                    SeccompFilter.exportBpf(spec, fd);
                } finally {
                    Syscalls.close(fd);
                }
                return parse(Files.readAllBytes(file));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<SockFilter> parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<SockFilter> l = new ArrayList<>();
        while (b.remaining() >= SOCK_FILTER) {
            l.add(new SockFilter(b.getShort() & 0xffff, b.get() & 0xff, b.get() & 0xff, b.getInt()));
        }
        return l;
    }

    /** Call numbers of this machine by name, for the calls the profile names (libseccomp resolves them). */
    public static Map<Integer, String> callNames(ContainerSpec.Seccomp spec) {
        Map<Integer, String> m = new HashMap<>();
        for (ContainerSpec.Syscall rule : spec.syscalls()) {
            for (String name : rule.names()) {
                int nr = SeccompContext.resolveSyscall(name);
                if (nr >= 0) {
                    m.putIfAbsent(nr, name);
                }
            }
        }
        return m;
    }

    // tag::decode[]
    /** One instruction in words; pc is its index, for the jump targets. */
    public static String decode(int pc, SockFilter f, Map<Integer, String> calls, boolean accumulatorHoldsNr) {
        int cls = f.code() & 0x07;
        int k = f.k();
        if (f.code() == (BPF_LD | BPF_W | BPF_ABS)) {
            return "ld  [" + k + "]            A = seccomp_data." + field(k);
        }
        if (cls == BPF_JMP && (f.code() & 0xf0) == BPF_JA) {
            return "ja  " + (pc + 1 + k);
        }
        if (cls == BPF_JMP && (f.code() & 0x08) == BPF_K) {
            String op = switch (f.code() & 0xf0) {
                case BPF_JEQ -> "jeq";
                case BPF_JGT -> "jgt";
                case BPF_JGE -> "jge";
                case BPF_JSET -> "jset";
                default -> "j?" + Integer.toHexString(f.code());
            };
            String what = k == AUDIT_ARCH_X86_64 ? "AUDIT_ARCH_X86_64"
                    : accumulatorHoldsNr && calls.containsKey(k) ? calls.get(k) : "0x" + Integer.toHexString(k);
            return String.format("%-4s #0x%x, %d, %d     if (A %s %s) goto %d else goto %d", op, k, pc + 1 + f.jt(),
                    pc + 1 + f.jf(), symbol(op), what, pc + 1 + f.jt(), pc + 1 + f.jf());
        }
        if (f.code() == (BPF_RET | BPF_K)) {
            return "ret #0x" + Integer.toHexString(k) + "      " + action(k);
        }
        if (f.code() == (BPF_ALU | BPF_AND | BPF_K)) {
            return "and #0x" + Integer.toHexString(k);
        }
        if (f.code() == (BPF_LD | BPF_MEM)) {
            return "ld  M[" + k + "]";
        }
        if (f.code() == BPF_ST) {
            return "st  M[" + k + "]";
        }
        return String.format("code 0x%04x jt %d jf %d k 0x%x", f.code(), f.jt(), f.jf(), k);
    }
    // end::decode[]

    /** The whole program, one line per instruction, with its index. */
    public static List<String> listing(List<SockFilter> program, Map<Integer, String> calls) {
        List<String> out = new ArrayList<>();
        boolean nr = false;
        for (int pc = 0; pc < program.size(); pc++) {
            SockFilter f = program.get(pc);
            out.add(String.format("%4d  %s", pc, decode(pc, f, calls, nr)));
            if (f.code() == (BPF_LD | BPF_W | BPF_ABS)) {
                nr = f.k() == 0;
            } else if ((f.code() & 0x07) != BPF_JMP) {
                nr = false;
            }
        }
        return out;
    }

    /** struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; } */
    static String field(int offset) {
        if (offset == 0) {
            return "nr";
        }
        if (offset == 4) {
            return "arch";
        }
        if (offset == 8 || offset == 12) {
            return "instruction_pointer" + (offset == 8 ? " (low)" : " (high)");
        }
        int arg = (offset - 16) / 8;
        return "args[" + arg + "]" + ((offset - 16) % 8 == 0 ? " (low)" : " (high)");
    }

    static String action(int k) {
        int action = k & SECCOMP_RET_ACTION_FULL;
        if (action == SECCOMP_RET_ALLOW) {
            return "SECCOMP_RET_ALLOW";
        }
        if (action == SECCOMP_RET_ERRNO) {
            int errno = k & 0xffff;
            return "SECCOMP_RET_ERRNO(" + errno + (errno == 1 ? ": EPERM" : errno == 38 ? ": ENOSYS" : "") + ")";
        }
        if (action == SECCOMP_RET_KILL_PROCESS) {
            return "SECCOMP_RET_KILL_PROCESS";
        }
        if (action == SECCOMP_RET_KILL_THREAD) {
            return "SECCOMP_RET_KILL_THREAD";
        }
        if (action == SECCOMP_RET_TRAP) {
            return "SECCOMP_RET_TRAP";
        }
        if (action == SECCOMP_RET_TRACE) {
            return "SECCOMP_RET_TRACE";
        }
        if (action == SECCOMP_RET_LOG) {
            return "SECCOMP_RET_LOG";
        }
        return "?";
    }

    private static String symbol(String op) {
        return switch (op) {
            case "jeq" -> "==";
            case "jgt" -> ">";
            case "jge" -> ">=";
            case "jset" -> "&";
            default -> op;
        };
    }
}
