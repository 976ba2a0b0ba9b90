package dev.minidocker.vmm.cpu;

import dev.minidocker.vmm.memory.GuestMemory;

/**
 * Four-level x86-64 page tables that map virtual addresses onto the same physical addresses
 * ("identity mapping") with 2 MiB pages, so only three kinds of table are needed: PML4[0] points
 * to a PDPT, PDPT[g] to the page directory of GiB g, and each of its 512 entries maps 2 MiB.
 * The bundled guests map the first GiB and the fourth (the PCI hole with the MMIO window);
 * Linux gets all four.
 */
public final class PageTables {
    public static final long PRESENT = 1L;
    public static final long WRITABLE = 1L << 1;
    /** PS in a page-directory entry: this entry maps a 2 MiB page instead of pointing to a page table. */
    public static final long PAGE_SIZE = 1L << 7;
    public static final long TWO_MIB = 2L << 20;
    public static final long ONE_GIB = 1L << 30;
    public static final int ENTRIES = 512;

    private PageTables() {
    }

    /** The three tables' entries: index 0 is the PML4, 1 the PDPT, 2 the page directory. */
    public static long[][] identityMap1GiB(long pml4, long pdpt, long pageDirectory) {
        long[][] tables = new long[3][ENTRIES];
        fill(tables[0], tables[1], tables[2], pdpt, pageDirectory);
        return tables;
    }

    /**
     * Identity map of the GiBs that have a directory: {@code directories[g]} is the physical address
     * of the page directory for GiB g (at most 4), or 0 to leave that GiB unmapped. Index 0 of the
     * result is the PML4, 1 the PDPT, 2 + g the directory of GiB g (null when unmapped).
     */
    public static long[][] identityMap(long pml4, long pdpt, long... directories) {
        if (directories.length == 0 || directories.length > 4 || directories[0] == 0) {
            throw new IllegalArgumentException("page tables: between 1 and 4 GiB, the first one mapped");
        }
        long[][] tables = new long[2 + directories.length][];
        tables[0] = new long[ENTRIES];
        tables[1] = new long[ENTRIES];
        tables[2] = new long[ENTRIES];
        fill(tables[0], tables[1], tables[2], pdpt, directories[0]);
        for (int g = 1; g < directories.length; g++) {
            if (directories[g] != 0) {
                tables[2 + g] = new long[ENTRIES];
                mapGiB(tables[1], tables[2 + g], g, directories[g]);
            }
        }
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

    /** PDPT[gib] points to directory, which maps that GiB's 512 pages of 2 MiB onto themselves. */
    static void mapGiB(long[] pdpt, long[] directory, int gib, long directoryAddress) {
        pdpt[gib] = directoryAddress | PRESENT | WRITABLE;
        for (int i = 0; i < ENTRIES; i++) {
            directory[i] = (gib * ONE_GIB + i * TWO_MIB) | PRESENT | WRITABLE | PAGE_SIZE;
        }
    }

    /** Writes the first-GiB tables into guest memory; returns the value for CR3 (the PML4's physical address). */
    public static long write(GuestMemory memory, long pml4, long pdpt, long pageDirectory) {
        return write(memory, pml4, pdpt, new long[] {pageDirectory});
    }

    /** Writes the tables of {@link #identityMap} into guest memory; returns the value for CR3. */
    public static long write(GuestMemory memory, long pml4, long pdpt, long[] directories) {
        long[][] tables = identityMap(pml4, pdpt, directories);
        writeTable(memory, pml4, tables[0]);
        writeTable(memory, pdpt, tables[1]);
        for (int g = 0; g < directories.length; g++) {
            if (tables[2 + g] != null) {
                writeTable(memory, directories[g], tables[2 + g]);
            }
        }
        return pml4;
    }

    private static void writeTable(GuestMemory memory, long address, long[] entries) {
        for (int i = 0; i < ENTRIES; i++) {
            memory.writeU64(address + 8L * i, entries[i]);
        }
    }

    /** Walks the tables as the MMU does, for a virtual address below 4 GiB: returns the physical address. */
    public static long translate(long[][] tables, long virtual) {
        int pml4Index = (int) ((virtual >>> 39) & 0x1ff);
        int pdptIndex = (int) ((virtual >>> 30) & 0x1ff);
        int pdIndex = (int) ((virtual >>> 21) & 0x1ff);
        if ((tables[0][pml4Index] & PRESENT) == 0 || (tables[1][pdptIndex] & PRESENT) == 0
                || 2 + pdptIndex >= tables.length || tables[2 + pdptIndex] == null) {
            throw new IllegalArgumentException(String.format("page fault at 0x%x", virtual));
        }
        long pde = tables[2 + pdptIndex][pdIndex];
        if ((pde & PRESENT) == 0 || (pde & PAGE_SIZE) == 0) {
            throw new IllegalArgumentException(String.format("page fault at 0x%x", virtual));
        }
        return (pde & ~(TWO_MIB - 1) & 0x000f_ffff_ffff_f000L) | (virtual & (TWO_MIB - 1));
    }
}
