package dev.minidocker.vmm.cpu;

import dev.minidocker.vmm.memory.GuestMemory;

/**
 * Four-level x86-64 page tables that map the first GiB of virtual addresses onto the same
 * physical addresses ("identity mapping") with 2 MiB pages, so only three tables are needed:
 * PML4[0] points to a PDPT, PDPT[0] to a page directory, and each of its 512 entries maps 2 MiB.
 */
public final class PageTables {
    public static final long PRESENT = 1L;
    public static final long WRITABLE = 1L << 1;
    /** PS in a page-directory entry: this entry maps a 2 MiB page instead of pointing to a page table. */
    public static final long PAGE_SIZE = 1L << 7;
    public static final long TWO_MIB = 2L << 20;
    public static final int ENTRIES = 512;

    private PageTables() {
    }

    /** The three tables' entries: index 0 is the PML4, 1 the PDPT, 2 the page directory. */
    public static long[][] identityMap1GiB(long pml4, long pdpt, long pageDirectory) {
        long[][] tables = new long[3][ENTRIES];
        fill(tables[0], tables[1], tables[2], pdpt, pageDirectory);
        return tables;
    }

    // tag::page-tables[]
    /** Fills empty tables: each level's entry 0 points to the next level; the directory maps 2 MiB pages. */
    static void fill(long[] pml4, long[] pdpt, long[] directory, long pdptAddress, long directoryAddress) {
        // exercise:begin ch09-page-tables "PML4[0] -> PDPT, PDPT[0] -> page directory, PD[i] maps 2 MiB at i * 2 MiB (present, writable, PS)"
        pml4[0] = pdptAddress | PRESENT | WRITABLE;
        pdpt[0] = directoryAddress | PRESENT | WRITABLE;
        for (int i = 0; i < ENTRIES; i++) {
            directory[i] = (i * TWO_MIB) | PRESENT | WRITABLE | PAGE_SIZE;
        }
        // exercise:end ch09-page-tables
    }
    // end::page-tables[]

    /** Writes the tables into guest memory; returns the value for CR3 (the PML4's physical address). */
    public static long write(GuestMemory memory, long pml4, long pdpt, long pageDirectory) {
        long[][] tables = identityMap1GiB(pml4, pdpt, pageDirectory);
        long[] at = {pml4, pdpt, pageDirectory};
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < ENTRIES; i++) {
                memory.writeU64(at[t] + 8L * i, tables[t][i]);
            }
        }
        return pml4;
    }

    /** Walks the tables as the MMU does, for a virtual address below 1 GiB: returns the physical address. */
    public static long translate(long[][] tables, long virtual) {
        int pml4Index = (int) ((virtual >>> 39) & 0x1ff);
        int pdptIndex = (int) ((virtual >>> 30) & 0x1ff);
        int pdIndex = (int) ((virtual >>> 21) & 0x1ff);
        if ((tables[0][pml4Index] & PRESENT) == 0 || (tables[1][pdptIndex] & PRESENT) == 0) {
            throw new IllegalArgumentException(String.format("page fault at 0x%x", virtual));
        }
        long pde = tables[2][pdIndex];
        if ((pde & PRESENT) == 0 || (pde & PAGE_SIZE) == 0) {
            throw new IllegalArgumentException(String.format("page fault at 0x%x", virtual));
        }
        return (pde & ~(TWO_MIB - 1) & 0x000f_ffff_ffff_f000L) | (virtual & (TWO_MIB - 1));
    }
}
