package dev.minidocker.container.bpf;

import static dev.minidocker.container.bpf.BpfInsn.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The opcodes and the encoding, against the values of include/uapi/linux/bpf_common.h and bpf.h. */
class BpfInsnTest {
    @Test
    void opcodeValuesAreTheKernels() {
        // bpf_common.h
        assertEquals(0x00, BPF_LD);
        assertEquals(0x01, BPF_LDX);
        assertEquals(0x02, BPF_ST);
        assertEquals(0x03, BPF_STX);
        assertEquals(0x04, BPF_ALU);
        assertEquals(0x05, BPF_JMP);
        assertEquals(0x06, BPF_RET);
        assertEquals(0x07, BPF_MISC);
        assertEquals(0x00, BPF_W);
        assertEquals(0x08, BPF_H);
        assertEquals(0x10, BPF_B);
        assertEquals(0x20, BPF_ABS);
        assertEquals(0x60, BPF_MEM);
        assertEquals(0x50, BPF_AND);
        assertEquals(0x70, BPF_RSH);
        assertEquals(0x10, BPF_JEQ);
        assertEquals(0x00, BPF_K);
        assertEquals(0x08, BPF_X);
        // bpf.h
        assertEquals(0x06, BPF_JMP32);
        assertEquals(0x07, BPF_ALU64);
        assertEquals(0x18, BPF_DW);
        assertEquals(0xb0, BPF_MOV);
        assertEquals(0x50, BPF_JNE);
        assertEquals(0x80, BPF_CALL);
        assertEquals(0x90, BPF_EXIT);
    }

    @Test
    void macrosMakeTheOpcodesTheKernelsMacrosMake() {
        assertEquals(0x61, BPF_LDX_MEM(BPF_W, R2, R1, 0).code(), "BPF_LDX | BPF_W | BPF_MEM: ldxw");
        assertEquals(0xb7, BPF_MOV64_IMM(R0, 1).code(), "BPF_ALU64 | BPF_MOV | BPF_K: mov64 imm");
        assertEquals(0xbc, BPF_MOV32_REG(R1, R3).code(), "BPF_ALU | BPF_MOV | BPF_X: mov32 reg");
        assertEquals(0x54, BPF_ALU32_IMM(BPF_AND, R2, 0xffff).code(), "and32 imm");
        assertEquals(0x74, BPF_ALU32_IMM(BPF_RSH, R3, 16).code(), "rsh32 imm");
        assertEquals(0x55, BPF_JMP_IMM(BPF_JNE, R2, 2, 3).code(), "jne imm");
        assertEquals(0x15, BPF_JMP_IMM(BPF_JEQ, R1, 0, 3).code(), "jeq imm");
        assertEquals(0x95, BPF_EXIT_INSN().code(), "exit");
    }

    @Test
    void encodesStructBpfInsnLittleEndianWithDstInTheLowNibble() {
        // r4 = *(u32 *)(r1 + 4): code 0x61, regs src=1 dst=4 -> 0x14, off 4, imm 0
        assertArrayEquals(new byte[] {0x61, 0x14, 0x04, 0x00, 0, 0, 0, 0}, encode(List.of(BPF_LDX_MEM(BPF_W, R4, R1, 4))));
        // if r5 != 229 goto +2: off 2, imm 229 (0xe5)
        assertArrayEquals(new byte[] {0x55, 0x05, 0x02, 0x00, (byte) 0xe5, 0, 0, 0}, encode(List.of(BPF_JMP_IMM(BPF_JNE, R5, 229, 2))));
        // a negative immediate and offset, two's complement
        assertArrayEquals(new byte[] {0x54, 0x01, (byte) 0xff, (byte) 0xff, (byte) 0xfd, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                encode(List.of(new BpfInsn(BPF_ALU | BPF_AND | BPF_K, R1, 0, -1, ~2))));
        assertEquals(16, encode(List.of(BPF_MOV64_IMM(R0, 0), BPF_EXIT_INSN())).length);
    }

    @Test
    void printsAsTheVerifierLogDoes() {
        assertEquals("(61) r2 = *(u32 *)(r1 +0)", BPF_LDX_MEM(BPF_W, R2, R1, 0).toString());
        assertEquals("(54) w2 &= 65535", BPF_ALU32_IMM(BPF_AND, R2, 0xffff).toString());
        assertEquals("(55) if r4 != 0x7 goto pc+3", BPF_JMP_IMM(BPF_JNE, R4, 7, 3).toString());
        assertEquals("(b7) r0 = 1", BPF_MOV64_IMM(R0, 1).toString());
        assertEquals("(95) exit", BPF_EXIT_INSN().toString());
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThrows(IllegalArgumentException.class, () -> BPF_MOV64_IMM(11, 0));
        assertThrows(IllegalArgumentException.class, () -> BPF_JMP_IMM(BPF_JEQ, R1, 0, 40000));
    }
}
