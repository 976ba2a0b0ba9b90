package dev.minidocker.container.cgroup;

import static dev.minidocker.container.bpf.BpfInsn.*;

import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.bpf.BpfInsn;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * cgroup v2's devices controller is a program: the kernel runs a BPF_PROG_TYPE_CGROUP_DEVICE
 * program attached to the cgroup on every mknod and every open of a device node, with a
 * {@code struct bpf_cgroup_dev_ctx} (access and type, major, minor), and refuses with EPERM when
 * it returns 0. This class writes that program from the same rules the v1 controller is given,
 * one block per rule; the last rule that matches decides, as the order of v1's devices.allow and
 * devices.deny means, and a request no rule matches is refused.
 */
public final class DeviceFilter {
    // struct bpf_cgroup_dev_ctx of <linux/bpf.h>: access_type is (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_*
    static final int CTX_ACCESS_TYPE = 0, CTX_MAJOR = 4, CTX_MINOR = 8;
    public static final int BPF_DEVCG_ACC_MKNOD = 1, BPF_DEVCG_ACC_READ = 2, BPF_DEVCG_ACC_WRITE = 4;
    public static final int BPF_DEVCG_DEV_BLOCK = 1, BPF_DEVCG_DEV_CHAR = 2;

    private DeviceFilter() {
    }

    // tag::program[]
    /**
     * The program for rules: a prologue that unpacks the context into registers, then the rules
     * from last to first, each "if it matches, return allow or deny", then "return 0". A rule that
     * matches everything ends the program (the verifier refuses code no path reaches).
     */
    public static List<BpfInsn> program(List<ContainerSpec.DeviceRule> rules) {
        List<BpfInsn> p = new ArrayList<>(List.of(
                BPF_LDX_MEM(BPF_W, R2, R1, CTX_ACCESS_TYPE),
                BPF_ALU32_IMM(BPF_AND, R2, 0xffff),         // R2 = device type
                BPF_LDX_MEM(BPF_W, R3, R1, CTX_ACCESS_TYPE),
                BPF_ALU32_IMM(BPF_RSH, R3, 16),             // R3 = access asked for
                BPF_LDX_MEM(BPF_W, R4, R1, CTX_MAJOR),      // R4 = major
                BPF_LDX_MEM(BPF_W, R5, R1, CTX_MINOR)));    // R5 = minor
        for (int i = rules.size() - 1; i >= 0; i--) {
            List<BpfInsn> block = block(rules.get(i));
            p.addAll(block);
            if (block.size() == 2) {
                return p;                                   // no condition: nothing below is reachable
            }
        }
        p.add(BPF_MOV64_IMM(R0, 0));
        p.add(BPF_EXIT_INSN());
        return p;
    }
    // end::program[]

    // tag::block[]
    /** One rule: its tests, each jumping past the block when it fails, then R0 = 1 (allow) or 0 (deny) and exit. */
    static List<BpfInsn> block(ContainerSpec.DeviceRule r) {
        List<BpfInsn> tests = new ArrayList<>();
        // exercise:begin ch16-device-rule "a test per condition, each jumping (off filled in below) to the next rule when it fails: the type (unless the rule is for all devices, 'a'), the access (an allow rule must cover every bit asked for: (R3 & ~access) != 0 fails; a deny rule needs one of its bits asked: (R3 & access) == 0 fails, unless it is all of rwm), the major and minor (unless null, any)"
        String type = r.type() == null ? "a" : r.type();
        if (!type.equals("a")) {
            tests.add(BPF_JMP_IMM(BPF_JNE, R2, type(type), 0));
        }
        int access = access(r.access());
        int all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
        if (access != all) {
            tests.add(BPF_MOV32_REG(R1, R3));
            if (r.allow()) {
                tests.add(BPF_ALU32_IMM(BPF_AND, R1, ~access));
                tests.add(BPF_JMP_IMM(BPF_JNE, R1, 0, 0));
            } else {
                tests.add(BPF_ALU32_IMM(BPF_AND, R1, access));
                tests.add(BPF_JMP_IMM(BPF_JEQ, R1, 0, 0));
            }
        }
        if (!type.equals("a") && r.major() != null) {
            tests.add(BPF_JMP_IMM(BPF_JNE, R4, Math.toIntExact(r.major()), 0));
        }
        if (!type.equals("a") && r.minor() != null) {
            tests.add(BPF_JMP_IMM(BPF_JNE, R5, Math.toIntExact(r.minor()), 0));
        }
        // exercise:end ch16-device-rule
        List<BpfInsn> block = new ArrayList<>();
        int length = tests.size() + 2;
        for (BpfInsn t : tests) {
            // a jump's offset counts from the next instruction: to the end of this block
            block.add((t.code() & 0x07) == BPF_JMP ? t.withOff(length - block.size() - 1) : t);
        }
        block.add(BPF_MOV64_IMM(R0, r.allow() ? 1 : 0));
        block.add(BPF_EXIT_INSN());
        return block;
    }
    // end::block[]

    static int type(String t) {
        return switch (t) {
            case "b" -> BPF_DEVCG_DEV_BLOCK;
            case "c" -> BPF_DEVCG_DEV_CHAR;
            default -> throw new IllegalArgumentException("device rule type must be a, b or c, not " + t);
        };
    }

    /** "rwm" → the BPF_DEVCG_ACC_* bits; empty or null is all three. */
    static int access(String access) {
        String a = access == null || access.isEmpty() ? "rwm" : access;
        int bits = 0;
        for (char ch : a.toCharArray()) {
            bits |= switch (ch) {
                case 'r' -> BPF_DEVCG_ACC_READ;
                case 'w' -> BPF_DEVCG_ACC_WRITE;
                case 'm' -> BPF_DEVCG_ACC_MKNOD;
                default -> throw new IllegalArgumentException("device rule access must be made of r, w and m, not " + a);
            };
        }
        return bits;
    }
}
