package dev.minidocker.sys;

import java.util.List;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * One argument comparison of a rule, libseccomp's struct scmp_arg_cmp:
 * <pre>
 * struct scmp_arg_cmp {
 *     unsigned int arg;         // offset 0: which argument, from 0
 *     enum scmp_compare op;     // offset 4: SCMP_CMP_*
 *     scmp_datum_t datum_a;     // offset 8: uint64_t
 *     scmp_datum_t datum_b;     // offset 16
 * };                            // 24 bytes
 * </pre>
 */
public record ScmpArgCmp(int arg, int op, long datumA, long datumB) {
    public static final int SIZE = 24;
    public static final int ARG = 0;
    public static final int OP = 4;
    public static final int DATUM_A = 8;
    public static final int DATUM_B = 16;

    /** The comparisons as a C array, or null for none. */
    static Pointer array(List<ScmpArgCmp> cmps) {
        if (cmps.isEmpty()) {
            return null;
        }
        Pointer p = Memory.allocateDirect(Native.runtime(), SIZE * cmps.size(), true);
        for (int i = 0; i < cmps.size(); i++) {
            ScmpArgCmp c = cmps.get(i);
            int base = i * SIZE;
            p.putInt(base + ARG, c.arg);
            p.putInt(base + OP, c.op);
            p.putLong(base + DATUM_A, c.datumA);
            p.putLong(base + DATUM_B, c.datumB);
        }
        return p;
    }
}
