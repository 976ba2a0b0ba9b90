package dev.minidocker.vmm.kvm;

import jnr.ffi.Pointer;

/**
 * {@code struct kvm_regs}: the general-purpose registers, the instruction pointer and the flags,
 * eighteen 64-bit fields in the kernel's order.
 */
public record Regs(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
                   long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
                   long rip, long rflags) {
    public static final int SIZE = 18 * 8;

    /** RFLAGS bit 1 is reserved and always set; everything else off (interrupts disabled). */
    public static final long RFLAGS_RESERVED = 0x2;
    /** RFLAGS.IF: maskable interrupts enabled. */
    public static final long RFLAGS_IF = 1L << 9;

    /** Registers for a fresh start: only rip, rsp and the reserved flag bit set. */
    public static Regs start(long rip, long rsp) {
        return new Regs(0, 0, 0, 0, 0, 0, rsp, 0, 0, 0, 0, 0, 0, 0, 0, 0, rip, RFLAGS_RESERVED);
    }

    public Regs withRsi(long value) {
        return new Regs(rax, rbx, rcx, rdx, value, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags);
    }

    static Regs read(Pointer p) {
        long[] v = new long[18];
        p.get(0, v, 0, 18);
        return new Regs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                v[12], v[13], v[14], v[15], v[16], v[17]);
    }

    void write(Pointer p) {
        long[] v = {rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags};
        p.put(0, v, 0, 18);
    }

    /** Every register in hex, in the kernel's order, four to a line (97 columns): for {@code mini vm run regs}. */
    public String table() {
        String[] names = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"};
        long[] values = {rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags};
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            s.append(String.format("%-3s 0x%016x", names[i], values[i]));
            s.append(i % 4 == 3 || i == names.length - 1 ? "\n" : "   ");
        }
        return s.toString();
    }

    /** One line for error messages: the registers a reader checks first. */
    public String summary() {
        return String.format("rip=0x%x rsp=0x%x rax=0x%x rbx=0x%x rcx=0x%x rdx=0x%x rflags=0x%x",
                rip, rsp, rax, rbx, rcx, rdx, rflags);
    }
}
