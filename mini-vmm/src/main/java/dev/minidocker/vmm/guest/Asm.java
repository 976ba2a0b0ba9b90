package dev.minidocker.vmm.guest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A small x86 assembler for guest programs: one method per instruction, named after it, that
 * appends the instruction's bytes; labels with fixups for jumps and addresses; and a listing
 * with each instruction's bytes beside its text. It knows the few instructions mini-vmm's guests
 * use, in 16-, 32- and 64-bit code, with exact encodings from the Intel SDM (so the bytes are
 * the ones nasm would produce for the same listing, near jumps aside).
 */
public final class Asm {
    /** General-purpose registers: the 3-bit number the encoding uses and the width. */
    public enum Reg {
        AL(0, 8), CL(1, 8), DL(2, 8), BL(3, 8),
        AX(0, 16), CX(1, 16), DX(2, 16), BX(3, 16), SP(4, 16), BP(5, 16), SI(6, 16), DI(7, 16),
        EAX(0, 32), ECX(1, 32), EDX(2, 32), EBX(3, 32), ESP(4, 32), EBP(5, 32), ESI(6, 32), EDI(7, 32),
        RAX(0, 64), RCX(1, 64), RDX(2, 64), RBX(3, 64), RSP(4, 64), RBP(5, 64), RSI(6, 64), RDI(7, 64);

        final int code;
        final int bits;

        Reg(int code, int bits) {
            this.code = code;
            this.bits = bits;
        }

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    /** A position in the program, bound once, referenced before or after. */
    public static final class Label {
        final String name;
        int offset = -1;

        Label(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A memory operand: [base + disp] or [label + disp], with an optional width for instructions
     * whose width no register gives (inc dword [ticks]).
     */
    public record Mem(int width, Reg base, long disp, Label label) {
        public static Mem at(long address) {
            return new Mem(0, null, address, null);
        }

        public static Mem at(Label label) {
            return new Mem(0, null, 0, label);
        }

        public static Mem at(Reg base) {
            return new Mem(0, base, 0, null);
        }

        public static Mem at(Reg base, long disp) {
            return new Mem(0, base, disp, null);
        }

        public Mem asByte() {
            return new Mem(8, base, disp, label);
        }

        public Mem asWord() {
            return new Mem(16, base, disp, label);
        }

        public Mem asDword() {
            return new Mem(32, base, disp, label);
        }

        public Mem asQword() {
            return new Mem(64, base, disp, label);
        }

        @Override
        public String toString() {
            String size = switch (width) {
                case 8 -> "byte ";
                case 16 -> "word ";
                case 32 -> "dword ";
                case 64 -> "qword ";
                default -> "";
            };
            String inside;
            if (label != null) {
                inside = label.name + (disp != 0 ? "+" + disp : "");
            } else if (base != null) {
                inside = base + (disp != 0 ? String.format("+0x%x", disp) : "");
            } else {
                inside = String.format("0x%x", disp);
            }
            return size + "[" + inside + "]";
        }
    }

    private enum Kind { REL, ABS, LOW16, HIGH16, HIGH32 }

    private record Fixup(int at, int width, Label label, long addend, Kind kind) {
    }

    private record Line(int offset, int length, String text) {
    }

    private final int bits;
    private final long origin;
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<Fixup> fixups = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private int start;
    private byte[] assembled;

    /** An assembler for code that runs in bits-bit mode and is loaded at guest address origin. */
    public Asm(int bits, long origin) {
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new IllegalArgumentException("bits must be 16, 32 or 64");
        }
        this.bits = bits;
        this.origin = origin;
    }

    public int bits() {
        return bits;
    }

    public long origin() {
        return origin;
    }

    // ---- labels, comments, data ---------------------------------------------------------

    public Label label(String name) {
        Label l = new Label(name);
        labels.add(l);
        return l;
    }

    /** Binds the label here. */
    public Asm bind(Label label) {
        if (label.offset >= 0) {
            throw new IllegalStateException("label bound twice: " + label.name);
        }
        label.offset = code.size();
        lines.add(new Line(code.size(), -1, label.name + ":"));
        return this;
    }

    /** A comment line in the listing. */
    public Asm comment(String text) {
        lines.add(new Line(code.size(), -2, "; " + text));
        return this;
    }

    public Asm db(int... bytes) {
        begin();
        for (int b : bytes) {
            code.write(b);
        }
        StringBuilder sb = new StringBuilder("db ");
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format("0x%02x", bytes[i] & 0xff));
        }
        return end(sb.toString());
    }

    /** The string's bytes followed by a NUL, as C and our print routine expect. */
    public Asm asciz(String s) {
        begin();
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        code.write(b, 0, b.length);
        code.write(0);
        return end("db \"" + s.replace("\n", "\\n") + "\", 0");
    }

    public Asm dw(int value) {
        begin();
        imm(value, 16);
        return end(String.format("dw 0x%x", value));
    }

    public Asm dd(long value) {
        begin();
        imm(value, 32);
        return end(String.format("dd 0x%x", value));
    }

    /** A 16-bit absolute address of a label (a real-mode interrupt vector's offset). */
    public Asm dw(Label label) {
        begin();
        fixup(label, 0, Kind.ABS, 2);
        return end("dw " + label);
    }

    /**
     * An interrupt vector for the mode: in real mode 4 bytes, offset then segment 0; in 32-bit
     * code an interrupt gate; in 64-bit code a 64-bit interrupt gate.
     */
    public Asm interruptVector(Label handler, int selector) {
        if (bits == 16) {
            begin();
            fixup(handler, 0, Kind.ABS, 2);
            imm(0, 16);
            return end("real-mode vector: " + handler + ", segment 0");
        }
        return bits == 32 ? idtGate32(handler, selector) : idtGate64(handler, selector);
    }

    /** Bytes per interrupt vector: 4 in real mode, 8 for 32-bit gates, 16 for 64-bit gates. */
    public int vectorSize() {
        return bits == 16 ? 4 : bits == 32 ? 8 : 16;
    }

    /** The accumulator, data and source-index registers at this code's natural width (ax/eax/rax ...). */
    public Reg natural(Reg r) {
        int want = bits == 16 ? 16 : bits;
        for (Reg c : Reg.values()) {
            if (c.code == r.code && c.bits == want) {
                return c;
            }
        }
        throw new IllegalArgumentException(r.toString());
    }

    /** A 32-bit absolute address of a label (lidt/lgdt base, tables of pointers). */
    public Asm dd(Label label) {
        begin();
        fixup(label, 0, Kind.ABS, 4);
        return end("dd " + label);
    }

    /** A 64-bit absolute address of a label. */
    public Asm dq(Label label) {
        begin();
        fixup(label, 0, Kind.ABS, 4);
        imm(0, 32);
        return end("dq " + label);
    }

    public Asm zeros(int count) {
        begin();
        code.write(new byte[count], 0, count);
        return end("times " + count + " db 0");
    }

    /**
     * A 32-bit interrupt gate ({@code IDT} entry): handler offset split in two halves around the
     * code-segment selector, and type 0x8e = present, ring 0, 32-bit interrupt gate (clears IF).
     */
    public Asm idtGate32(Label handler, int selector) {
        begin();
        fixup(handler, 0, Kind.LOW16, 2);
        imm(selector, 16);
        code.write(0);
        code.write(0x8e);
        fixup(handler, 0, Kind.HIGH16, 2);
        return end("interrupt gate: " + handler + String.format(", selector 0x%x, type 0x8e", selector));
    }

    /** A 64-bit interrupt gate: 16 bytes, the offset split in three. */
    public Asm idtGate64(Label handler, int selector) {
        begin();
        fixup(handler, 0, Kind.LOW16, 2);
        imm(selector, 16);
        code.write(0);      // IST 0: stay on the current stack
        code.write(0x8e);
        fixup(handler, 0, Kind.HIGH16, 2);
        fixup(handler, 0, Kind.HIGH32, 4);
        imm(0, 32);
        return end("interrupt gate: " + handler + String.format(", selector 0x%x, type 0x8e", selector));
    }

    // ---- instructions ---------------------------------------------------------------

    /** mov reg, imm. */
    public Asm mov(Reg dst, long value) {
        begin();
        if (dst.bits == 8) {
            code.write(0xb0 + dst.code);
            imm(value, 8);
        } else if (dst.bits == 64 && value == (int) value) {
            prefix(64);
            code.write(0xc7);               // mov r/m64, imm32 (sign-extended)
            code.write(0xc0 | dst.code);
            imm(value, 32);
        } else {
            prefix(dst.bits);
            code.write(0xb8 + dst.code);
            imm(value, dst.bits);
        }
        return end(String.format("mov %s, 0x%x", dst, value));
    }

    /** mov reg, label: the label's absolute address. */
    public Asm mov(Reg dst, Label label) {
        begin();
        if (dst.bits < 16 || dst.bits == 64) {
            throw new IllegalArgumentException("mov " + dst + ", label: use a 16- or 32-bit register");
        }
        prefix(dst.bits);
        code.write(0xb8 + dst.code);
        fixup(label, 0, Kind.ABS, dst.bits / 8);
        return end("mov " + dst + ", " + label);
    }

    public Asm mov(Reg dst, Reg src) {
        return aluRR(0x88, "mov", dst, src);
    }

    /** mov reg, [mem]. */
    public Asm mov(Reg dst, Mem src) {
        begin();
        prefix(dst.bits);
        code.write(dst.bits == 8 ? 0x8a : 0x8b);
        modrm(dst.code, src);
        return end("mov " + dst + ", " + src);
    }

    /** mov [mem], reg. */
    public Asm mov(Mem dst, Reg src) {
        begin();
        prefix(src.bits);
        code.write(src.bits == 8 ? 0x88 : 0x89);
        modrm(src.code, dst);
        return end("mov " + dst + ", " + src);
    }

    /** mov [mem], imm with the width given on the operand (Mem.asDword() ...). */
    public Asm mov(Mem dst, long value) {
        begin();
        int w = width(dst);
        prefix(w);
        code.write(w == 8 ? 0xc6 : 0xc7);
        modrm(0, dst);
        imm(value, Math.min(w, 32));
        return end(String.format("mov %s, 0x%x", dst, value));
    }

    /** mov reg32, crN: read a control register (32 or 64 bits wide by mode). */
    public Asm movFromCr(Reg dst, int cr) {
        begin();
        code.write(0x0f);
        code.write(0x20);
        code.write(0xc0 | (cr << 3) | dst.code);
        return end("mov " + dst + ", cr" + cr);
    }

    public Asm add(Reg dst, Reg src) {
        return aluRR(0x00, "add", dst, src);
    }

    public Asm sub(Reg dst, Reg src) {
        return aluRR(0x28, "sub", dst, src);
    }

    public Asm xor(Reg dst, Reg src) {
        return aluRR(0x30, "xor", dst, src);
    }

    public Asm cmp(Reg dst, Reg src) {
        return aluRR(0x38, "cmp", dst, src);
    }

    public Asm test(Reg dst, Reg src) {
        return aluRR(0x84, "test", dst, src);
    }

    public Asm add(Reg dst, long value) {
        return aluRI(0, "add", dst, value);
    }

    public Asm sub(Reg dst, long value) {
        return aluRI(5, "sub", dst, value);
    }

    public Asm cmp(Reg dst, long value) {
        return aluRI(7, "cmp", dst, value);
    }

    public Asm and(Reg dst, long value) {
        return aluRI(4, "and", dst, value);
    }

    /** cmp [mem], imm with the operand's width. */
    public Asm cmp(Mem dst, long value) {
        begin();
        int w = width(dst);
        prefix(w);
        boolean small = w > 8 && value >= -128 && value <= 127;
        code.write(w == 8 ? 0x80 : small ? 0x83 : 0x81);
        modrm(7, dst);
        imm(value, w == 8 || small ? 8 : Math.min(w, 32));
        return end(String.format("cmp %s, 0x%x", dst, value));
    }

    /** test reg, imm (the short form for al: test al, 0x20). */
    public Asm test(Reg dst, int value) {
        begin();
        if (dst == Reg.AL) {
            code.write(0xa8);
            imm(value, 8);
        } else {
            prefix(dst.bits);
            code.write(dst.bits == 8 ? 0xf6 : 0xf7);
            code.write(0xc0 | dst.code);
            imm(value, Math.min(dst.bits, 32));
        }
        return end(String.format("test %s, 0x%x", dst, value));
    }

    public Asm inc(Reg r) {
        return incDec(0, "inc", r);
    }

    public Asm dec(Reg r) {
        return incDec(1, "dec", r);
    }

    /** inc [mem] with the operand's width. */
    public Asm inc(Mem m) {
        begin();
        int w = width(m);
        prefix(w);
        code.write(w == 8 ? 0xfe : 0xff);
        modrm(0, m);
        return end("inc " + m);
    }

    public Asm push(Reg r) {
        checkStackWidth(r);
        begin();
        code.write(0x50 + r.code);
        return end("push " + r);
    }

    public Asm pop(Reg r) {
        checkStackWidth(r);
        begin();
        code.write(0x58 + r.code);
        return end("pop " + r);
    }

    /** out imm8, al. */
    public Asm out(int port, Reg src) {
        requireAccumulator(src);
        begin();
        code.write(src.bits == 8 ? 0xe6 : 0xe7);
        code.write(port);
        return end(String.format("out 0x%x, %s", port, src));
    }

    /** out dx, al. */
    public Asm outDx(Reg src) {
        requireAccumulator(src);
        begin();
        prefixForAccumulator(src);
        code.write(src.bits == 8 ? 0xee : 0xef);
        return end("out dx, " + src);
    }

    /** in al, dx. */
    public Asm inDx(Reg dst) {
        requireAccumulator(dst);
        begin();
        prefixForAccumulator(dst);
        code.write(dst.bits == 8 ? 0xec : 0xed);
        return end("in " + dst + ", dx");
    }

    /** lodsb: al = [si/esi/rsi], then advance the pointer. */
    public Asm lodsb() {
        return simple("lodsb", 0xac);
    }

    public Asm hlt() {
        return simple("hlt", 0xf4);
    }

    public Asm cli() {
        return simple("cli", 0xfa);
    }

    public Asm sti() {
        return simple("sti", 0xfb);
    }

    public Asm ret() {
        return simple("ret", 0xc3);
    }

    /** iret: return from an interrupt handler (iretq in 64-bit code). */
    public Asm iret() {
        begin();
        if (bits == 64) {
            code.write(0x48);
        }
        code.write(0xcf);
        return end(bits == 64 ? "iretq" : "iret");
    }

    /** rdmsr: edx:eax = MSR[ecx]. */
    public Asm rdmsr() {
        return simple("rdmsr", 0x0f, 0x32);
    }

    /** ud2: the instruction defined to be invalid. */
    public Asm ud2() {
        return simple("ud2", 0x0f, 0x0b);
    }

    /** lidt [mem]: load the interrupt descriptor table register. */
    public Asm lidt(Mem m) {
        begin();
        code.write(0x0f);
        code.write(0x01);
        modrm(3, m);
        return end("lidt " + m);
    }

    public Asm jmp(Label target) {
        begin();
        code.write(0xe9);
        fixup(target, 0, Kind.REL, bits == 16 ? 2 : 4);
        return end("jmp " + target);
    }

    public Asm call(Label target) {
        begin();
        code.write(0xe8);
        fixup(target, 0, Kind.REL, bits == 16 ? 2 : 4);
        return end("call " + target);
    }

    public Asm jz(Label target) {
        return jcc(0x4, "jz", target);
    }

    public Asm jnz(Label target) {
        return jcc(0x5, "jnz", target);
    }

    /** jb: jump if below (unsigned less than). */
    public Asm jb(Label target) {
        return jcc(0x2, "jb", target);
    }

    /** loop: decrement cx/ecx/rcx and jump if not zero (a short jump only: -128..127 bytes). */
    public Asm loop(Label target) {
        begin();
        code.write(0xe2);
        fixup(target, 0, Kind.REL, 1);
        return end("loop " + target);
    }

    // ---- output ---------------------------------------------------------------------

    /** Resolves every fixup and returns the program's bytes. */
    public byte[] assemble() {
        if (assembled != null) {
            return assembled.clone();
        }
        byte[] b = code.toByteArray();
        for (Fixup f : fixups) {
            if (f.label.offset < 0) {
                throw new IllegalStateException("label never bound: " + f.label.name);
            }
            long target = origin + f.label.offset + f.addend;
            long value = switch (f.kind) {
                case REL -> (f.label.offset + f.addend) - (f.at + f.width);
                case ABS -> target;
                case LOW16 -> target & 0xffff;
                case HIGH16 -> (target >>> 16) & 0xffff;
                case HIGH32 -> target >>> 32;
            };
            if (f.kind == Kind.REL && f.width < 4) {
                long lim = 1L << (8 * f.width - 1);
                if (value < -lim || value >= lim) {
                    throw new IllegalStateException("jump to " + f.label.name + " is too far for a " + f.width + "-byte offset");
                }
            }
            for (int i = 0; i < f.width; i++) {
                b[f.at + i] = (byte) (value >>> (8 * i));
            }
        }
        assembled = b;
        return b.clone();
    }

    /** A label by name, for looking at a program's variables from outside. */
    public Label labelNamed(String name) {
        return labels.stream().filter(l -> l.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no label " + name));
    }

    /** The guest address of a bound label. */
    public long address(Label label) {
        return origin + label.offset;
    }

    /** Address, bytes and source side by side, like an assembler's listing file. */
    public String listing() {
        byte[] b = assemble();
        HexFormat hex = HexFormat.ofDelimiter(" ");
        StringBuilder out = new StringBuilder();
        for (Line l : lines) {
            if (l.length == -1) {
                out.append(l.text).append('\n');
            } else if (l.length == -2) {
                out.append(String.format("%-36s  %s%n", "", l.text));
            } else {
                for (int i = 0; i < Math.max(1, l.length); i += 8) {
                    int n = Math.min(8, l.length - i);
                    String bytes = n > 0 ? hex.formatHex(b, l.offset + i, l.offset + i + n) : "";
                    out.append(String.format("%08x  %-26s  %s%n", origin + l.offset + i, bytes, i == 0 ? "    " + l.text : ""));
                }
            }
        }
        return out.toString();
    }

    // ---- encoding helpers -----------------------------------------------------------

    private void begin() {
        assembled = null;
        start = code.size();
    }

    private Asm end(String text) {
        lines.add(new Line(start, code.size() - start, text));
        return this;
    }

    private Asm simple(String text, int... opcode) {
        begin();
        for (int o : opcode) {
            code.write(o);
        }
        return end(text);
    }

    private void imm(long value, int width) {
        for (int i = 0; i < width / 8; i++) {
            code.write((int) (value >>> (8 * i)));
        }
    }

    private void fixup(Label label, long addend, Kind kind, int width) {
        fixups.add(new Fixup(code.size(), width, label, addend, kind));
        imm(0, 8 * width);
    }

    /** Operand-size prefix 0x66 and REX.W, as the operand width and the mode require. */
    private void prefix(int operandBits) {
        if (operandBits == 64) {
            if (bits != 64) {
                throw new IllegalArgumentException("64-bit operands need 64-bit code");
            }
            code.write(0x48);
        } else if ((operandBits == 16 && bits != 16) || (operandBits == 32 && bits == 16)) {
            code.write(0x66);
        }
    }

    private void prefixForAccumulator(Reg r) {
        if (r.bits > 8) {
            prefix(r.bits);
        }
    }

    private int width(Mem m) {
        if (m.width == 0) {
            throw new IllegalArgumentException("say the operand's width: " + m + ".asByte()/asDword()...");
        }
        return m.width;
    }

    private Asm aluRR(int base, String name, Reg dst, Reg src) {
        if (dst.bits != src.bits) {
            throw new IllegalArgumentException(name + " " + dst + ", " + src + ": register widths differ");
        }
        begin();
        prefix(dst.bits);
        code.write(dst.bits == 8 ? base : base + 1);
        code.write(0xc0 | (src.code << 3) | dst.code);
        return end(name + " " + dst + ", " + src);
    }

    private Asm aluRI(int ext, String name, Reg dst, long value) {
        begin();
        prefix(dst.bits);
        boolean small = dst.bits > 8 && value >= -128 && value <= 127;
        code.write(dst.bits == 8 ? 0x80 : small ? 0x83 : 0x81);
        code.write(0xc0 | (ext << 3) | dst.code);
        imm(value, dst.bits == 8 || small ? 8 : Math.min(dst.bits, 32));
        return end(String.format("%s %s, 0x%x", name, dst, value));
    }

    private Asm incDec(int ext, String name, Reg r) {
        begin();
        prefix(r.bits);
        code.write(r.bits == 8 ? 0xfe : 0xff);
        code.write(0xc0 | (ext << 3) | r.code);
        return end(name + " " + r);
    }

    private Asm jcc(int cc, String name, Label target) {
        begin();
        code.write(0x0f);
        code.write(0x80 + cc);
        fixup(target, 0, Kind.REL, bits == 16 ? 2 : 4);
        return end(name + " " + target);
    }

    private void checkStackWidth(Reg r) {
        int want = bits == 16 ? 16 : bits;
        if (r.bits != want) {
            throw new IllegalArgumentException("push/pop " + r + " in " + bits + "-bit code: use a " + want + "-bit register");
        }
    }

    private static void requireAccumulator(Reg r) {
        if (r.code != 0 || r.bits == 64) {
            throw new IllegalArgumentException("in/out move data through al, ax or eax, not " + r);
        }
    }

    /** The ModRM byte (and SIB, displacement) for a memory operand; reg is the other operand or an opcode extension. */
    private void modrm(int reg, Mem m) {
        if (bits == 16) {
            if (m.base == null) {
                code.write((reg << 3) | 0x06);      // mod 00, rm 110: [disp16]
                address(m, 2);
                return;
            }
            int rm = switch (m.base) {
                case SI -> 4;
                case DI -> 5;
                case BX -> 7;
                default -> throw new IllegalArgumentException("16-bit code addresses memory through bx, si or di, not " + m.base);
            };
            dispForm(reg, rm, m, false);
            return;
        }
        if (m.base == null) {
            if (bits == 32) {
                code.write((reg << 3) | 0x05);      // mod 00, rm 101: [disp32]
            } else {
                code.write((reg << 3) | 0x04);      // rm 100: a SIB byte follows
                code.write(0x25);                   // SIB: no index, no base -> [disp32] (not RIP-relative)
            }
            address(m, 4);
            return;
        }
        if (m.base.bits != bits) {
            throw new IllegalArgumentException("in " + bits + "-bit code the base register must be " + bits + "-bit: " + m.base);
        }
        dispForm(reg, m.base.code, m, m.base.code == 4);
    }

    private void dispForm(int reg, int rm, Mem m, boolean sib) {
        long d = m.disp;
        boolean bpLike = bits == 16 ? false : rm == 5;
        int mod = d == 0 && !bpLike ? 0 : (d >= -128 && d <= 127 ? 1 : 2);
        code.write((mod << 6) | (reg << 3) | rm);
        if (sib) {
            code.write(0x24);
        }
        if (mod == 1) {
            imm(d, 8);
        } else if (mod == 2) {
            imm(d, bits == 16 ? 16 : 32);
        }
    }

    private void address(Mem m, int width) {
        if (m.label != null) {
            fixup(m.label, m.disp, Kind.ABS, width);
        } else {
            imm(m.disp, 8 * width);
        }
    }
}
