package dev.minidocker.container.cgroup;

import static dev.minidocker.container.cgroup.DeviceFilter.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.bpf.BpfInsn;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * The rules-to-program translation, run by a small interpreter of the instructions it uses (as
 * the kernel would run them, 64-bit registers, 32-bit ALU results zero-extended) on the
 * {@code struct bpf_cgroup_dev_ctx} of each access. The real kernel runs it in DeviceProgramTest.
 */
class DeviceFilterTest {
    static final int R = BPF_DEVCG_ACC_READ, W = BPF_DEVCG_ACC_WRITE, M = BPF_DEVCG_ACC_MKNOD;
    static final int BLK = BPF_DEVCG_DEV_BLOCK, CHR = BPF_DEVCG_DEV_CHAR;

    /** What the program returns for (access, type, major, minor). */
    static long run(List<BpfInsn> program, int access, int type, int major, int minor) {
        int[] ctx = {(access << 16) | type, major, minor};
        long[] reg = new long[11];
        reg[1] = -1; // the context pointer; only loads through it are allowed
        for (int pc = 0, steps = 0; steps < 10_000; steps++) {
            BpfInsn i = program.get(pc);
            long imm = i.imm(); // sign-extended to 64 bits, as the kernel does
            pc++;
            switch (i.code()) {
                case 0x61 -> reg[i.dst()] = ctx[i.off() / 4] & 0xffffffffL;          // ldxw
                case 0x54 -> reg[i.dst()] = (reg[i.dst()] & imm) & 0xffffffffL;        // and32 imm
                case 0x74 -> reg[i.dst()] = (reg[i.dst()] & 0xffffffffL) >>> imm;     // rsh32 imm
                case 0xbc -> reg[i.dst()] = reg[i.src()] & 0xffffffffL;                // mov32 reg
                case 0xb7 -> reg[i.dst()] = imm;                                       // mov64 imm
                case 0x55 -> pc += reg[i.dst()] != imm ? i.off() : 0;                  // jne imm
                case 0x15 -> pc += reg[i.dst()] == imm ? i.off() : 0;                  // jeq imm
                case 0x95 -> {
                    return reg[0];                                                     // exit
                }
                default -> throw new AssertionError("an instruction the device program should not need: " + i);
            }
        }
        throw new AssertionError("no exit");
    }

    private static ContainerSpec.DeviceRule rule(boolean allow, String type, Long major, Long minor, String access) {
        return new ContainerSpec.DeviceRule(allow, type, major, minor, access);
    }

    @Test
    void docksersDefaultsAllowTheDefaultNodesAndMknodButNoOtherDevice() {
        List<BpfInsn> p = program(DevicesController.DEFAULT_RULES);
        assertEquals(1, run(p, R | W, CHR, 1, 3), "/dev/null");
        assertEquals(1, run(p, R, CHR, 1, 9), "/dev/urandom");
        assertEquals(1, run(p, R | W, CHR, 5, 2), "/dev/ptmx");
        assertEquals(1, run(p, R | W, CHR, 136, 7), "/dev/pts/7");
        assertEquals(1, run(p, M, BLK, 254, 0), "mknod of any node");
        assertEquals(0, run(p, R, BLK, 254, 0), "the host's disk");
        assertEquals(0, run(p, R, BLK, 7, 0), "loop0");
        assertEquals(0, run(p, R | W, CHR, 10, 229), "/dev/fuse");
        assertEquals(0, run(p, R, CHR, 1, 1), "/dev/mem");
    }

    @Test
    void theLastMatchingRuleDecides() {
        List<BpfInsn> p = program(List.of(rule(true, "a", null, null, "rwm"), rule(false, "c", 1L, 3L, "w")));
        assertEquals(1, run(p, R, CHR, 1, 3), "a deny of w leaves r");
        assertEquals(0, run(p, W, CHR, 1, 3));
        assertEquals(0, run(p, R | W, CHR, 1, 3), "asking w among others is denied");
        assertEquals(1, run(p, R | W, BLK, 8, 0), "everything else");
    }

    @Test
    void anAllowMustCoverEveryAccessAskedFor() {
        List<BpfInsn> p = program(List.of(rule(false, "a", null, null, "rwm"), rule(true, "c", 1L, 3L, "r")));
        assertEquals(1, run(p, R, CHR, 1, 3));
        assertEquals(0, run(p, R | W, CHR, 1, 3));
        assertEquals(0, run(p, R, BLK, 1, 3), "the type is part of the rule");
        assertEquals(0, run(p, R, CHR, 1, 4));
    }

    @Test
    void aRuleForEverythingEndsTheProgram() {
        // --privileged: allow a; the verifier refuses unreachable instructions, so nothing follows it
        List<BpfInsn> p = program(List.of(rule(true, "a", null, null, "rwm")));
        assertEquals(6 + 2, p.size(), p.toString());
        assertEquals(1, run(p, R | W, BLK, 254, 0));
        List<BpfInsn> defaults = program(DevicesController.DEFAULT_RULES);
        assertEquals(BpfInsn.BPF_EXIT_INSN(), defaults.get(defaults.size() - 1));
        assertEquals(BpfInsn.BPF_MOV64_IMM(BpfInsn.R0, 0), defaults.get(defaults.size() - 2), "deny all is the first rule, run last");
    }

    @Test
    void everyJumpLandsInsideTheProgramAtTheStartOfTheNextRule() {
        List<BpfInsn> p = program(DevicesController.DEFAULT_RULES);
        for (int pc = 0; pc < p.size(); pc++) {
            BpfInsn i = p.get(pc);
            if (i.code() == 0x55 || i.code() == 0x15) {
                int target = pc + 1 + i.off();
                assertTrue(target > pc && target < p.size(), "jump at " + pc + " to " + target);
                BpfInsn before = p.get(target - 1);
                assertEquals(BpfInsn.BPF_EXIT_INSN(), before, "a rule's tests jump just past its exit (at " + pc + ")");
            }
        }
    }
}
