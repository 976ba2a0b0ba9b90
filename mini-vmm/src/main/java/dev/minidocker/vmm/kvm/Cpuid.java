package dev.minidocker.vmm.kvm;

import java.util.ArrayList;
import java.util.List;

import jnr.ffi.Pointer;

/**
 * {@code struct kvm_cpuid2} and its entries: what the CPUID instruction answers inside the guest.
 * KVM says what it can offer ({@code KVM_GET_SUPPORTED_CPUID}); the VMM chooses what the vCPU
 * shows ({@code KVM_SET_CPUID2}). Long mode needs the "LM" bit here before EFER.LME is accepted.
 */
public final class Cpuid {
    /** u32 nent, u32 padding; the entries follow. */
    public static final int HEADER_SIZE = 8;
    /** function, index, flags, eax, ebx, ecx, edx, padding[3]: ten u32. */
    public static final int ENTRY_SIZE = 40;

    /** One {@code struct kvm_cpuid_entry2}. */
    public record Entry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    }

    private Cpuid() {
    }

    static List<Entry> read(Pointer p) {
        int n = p.getInt(0);
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long o = HEADER_SIZE + (long) i * ENTRY_SIZE;
            entries.add(new Entry(p.getInt(o), p.getInt(o + 4), p.getInt(o + 8), p.getInt(o + 12),
                    p.getInt(o + 16), p.getInt(o + 20), p.getInt(o + 24)));
        }
        return entries;
    }

    static void write(Pointer p, List<Entry> entries) {
        p.putInt(0, entries.size());
        p.putInt(4, 0);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long o = HEADER_SIZE + (long) i * ENTRY_SIZE;
            int[] v = {e.function(), e.index(), e.flags(), e.eax(), e.ebx(), e.ecx(), e.edx(), 0, 0, 0};
            p.put(o, v, 0, v.length);
        }
    }
}
