package dev.minidocker.container.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One eBPF instruction, {@code struct bpf_insn} of {@code <linux/bpf.h>}: an opcode byte, two
 * 4-bit registers (destination in the low half), a signed 16-bit offset (jumps count it in
 * instructions from the next one) and a signed 32-bit immediate. The factories are named as the
 * kernel's own macros are ({@code include/linux/filter.h}), so that a program here reads like
 * one written in the kernel's tree.
 *
 * <p>The opcode is the sum of a class, a size and mode (loads) or an operation and a source
 * (arithmetic, jumps). Classic BPF (seccomp's {@code struct sock_filter}) uses the same values for
 * its classes and operations, which is why they are here too: see {@code <linux/bpf_common.h>}.
 */
public record BpfInsn(int code, int dst, int src, int off, int imm) {
    // tag::opcodes[]
    // instruction classes (bpf_common.h); eBPF reuses RET as JMP32 and MISC as ALU64 (bpf.h)
    public static final int BPF_LD = 0x00, BPF_LDX = 0x01, BPF_ST = 0x02, BPF_STX = 0x03,
            BPF_ALU = 0x04, BPF_JMP = 0x05, BPF_RET = 0x06, BPF_MISC = 0x07;
    public static final int BPF_JMP32 = 0x06, BPF_ALU64 = 0x07;
    // load and store sizes and modes
    public static final int BPF_W = 0x00, BPF_H = 0x08, BPF_B = 0x10, BPF_DW = 0x18;
    public static final int BPF_IMM = 0x00, BPF_ABS = 0x20, BPF_IND = 0x40, BPF_MEM = 0x60, BPF_LEN = 0x80, BPF_MSH = 0xa0;
    // arithmetic operations
    public static final int BPF_ADD = 0x00, BPF_SUB = 0x10, BPF_MUL = 0x20, BPF_DIV = 0x30, BPF_OR = 0x40, BPF_AND = 0x50,
            BPF_LSH = 0x60, BPF_RSH = 0x70, BPF_NEG = 0x80, BPF_MOD = 0x90, BPF_XOR = 0xa0, BPF_MOV = 0xb0, BPF_ARSH = 0xc0;
    // jump operations; CALL and EXIT are eBPF's
    public static final int BPF_JA = 0x00, BPF_JEQ = 0x10, BPF_JGT = 0x20, BPF_JGE = 0x30, BPF_JSET = 0x40, BPF_JNE = 0x50,
            BPF_CALL = 0x80, BPF_EXIT = 0x90;
    // source of the second operand: the immediate (K) or a register (X); classic RET's A
    public static final int BPF_K = 0x00, BPF_X = 0x08, BPF_A = 0x10;
    // classic MISC
    public static final int BPF_TAX = 0x00, BPF_TXA = 0x80;
    // end::opcodes[]

    /** eBPF's registers: R0 the return value, R1 to R5 arguments (R1 the context), R10 the frame pointer. */
    public static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R10 = 10;

    /** sizeof(struct bpf_insn). */
    public static final int SIZE = 8;

    public BpfInsn {
        if (dst < 0 || dst > 10 || src < 0 || src > 10) {
            throw new IllegalArgumentException("eBPF has registers 0 to 10, not " + dst + "/" + src);
        }
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("jump offset " + off + " does not fit in 16 bits");
        }
    }

    // tag::macros[]
    /** dst = *(size *)(src + off) */
    public static BpfInsn BPF_LDX_MEM(int size, int dst, int src, int off) {
        return new BpfInsn(BPF_LDX | size | BPF_MEM, dst, src, off, 0);
    }

    /** dst = imm (64-bit) */
    public static BpfInsn BPF_MOV64_IMM(int dst, int imm) {
        return new BpfInsn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
    }

    /** dst = src (32-bit: the upper half becomes zero) */
    public static BpfInsn BPF_MOV32_REG(int dst, int src) {
        return new BpfInsn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
    }

    /** dst = dst OP imm (32-bit), e.g. BPF_AND, BPF_RSH */
    public static BpfInsn BPF_ALU32_IMM(int op, int dst, int imm) {
        return new BpfInsn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
    }

    /** if (dst OP imm) goto pc + 1 + off */
    public static BpfInsn BPF_JMP_IMM(int op, int dst, int imm, int off) {
        return new BpfInsn(BPF_JMP | op | BPF_K, dst, 0, off, imm);
    }

    /** return R0 */
    public static BpfInsn BPF_EXIT_INSN() {
        return new BpfInsn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }
    // end::macros[]

    /** This instruction with another jump offset. */
    public BpfInsn withOff(int newOff) {
        return new BpfInsn(code, dst, src, newOff, imm);
    }

    // tag::encode[]
    /** The 8 bytes the kernel reads, in the machine's (little-endian) order. */
    public void writeTo(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) code);
        b.put((byte) ((src << 4) | dst)); // dst_reg:4 comes first: the low nibble
        b.putShort((short) off);
        b.putInt(imm);
    }
    // end::encode[]

    /** A whole program, as BPF_PROG_LOAD takes it. */
    public static byte[] encode(List<BpfInsn> program) {
        ByteBuffer b = ByteBuffer.allocate(program.size() * SIZE);
        program.forEach(i -> i.writeTo(b));
        return b.array();
    }

    /** The instruction as the kernel's verifier log prints it: {@code (61) r2 = *(u32 *)(r1 +0)}. */
    @Override
    public String toString() {
        String op = switch (code) {
            case BPF_LDX | BPF_W | BPF_MEM -> "r" + dst + " = *(u32 *)(r" + src + " " + (off < 0 ? "" : "+") + off + ")";
            case BPF_ALU64 | BPF_MOV | BPF_K -> "r" + dst + " = " + imm;
            case BPF_ALU | BPF_MOV | BPF_X -> "w" + dst + " = w" + src;
            case BPF_ALU | BPF_AND | BPF_K -> "w" + dst + " &= " + imm;
            case BPF_ALU | BPF_RSH | BPF_K -> "w" + dst + " >>= " + imm;
            case BPF_JMP | BPF_JEQ | BPF_K -> "if r" + dst + " == 0x" + Integer.toHexString(imm) + " goto pc" + (off < 0 ? "" : "+") + off;
            case BPF_JMP | BPF_JNE | BPF_K -> "if r" + dst + " != 0x" + Integer.toHexString(imm) + " goto pc" + (off < 0 ? "" : "+") + off;
            case BPF_JMP | BPF_EXIT -> "exit";
            default -> String.format("dst r%d src r%d off %d imm %d", dst, src, off, imm);
        };
        return String.format("(%02x) %s", code, op);
    }
}
