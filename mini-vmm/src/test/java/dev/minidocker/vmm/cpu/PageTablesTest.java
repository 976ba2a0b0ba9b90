package dev.minidocker.vmm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.minidocker.vmm.memory.GuestMemory;

class PageTablesTest {
    private final long[][] tables = PageTables.identityMap1GiB(0x1000, 0x2000, 0x3000);

    @Test
    void topLevelsPointToTheNextTablePresentAndWritable() {
        assertEquals(0x2003L, tables[0][0], "PML4[0] -> PDPT");
        assertEquals(0x3003L, tables[1][0], "PDPT[0] -> page directory");
        assertEquals(0L, tables[0][1], "nothing else mapped");
    }

    @Test
    void eachDirectoryEntryMapsTwoMibWithThePageSizeBit() {
        assertEquals(0x83L, tables[2][0]);
        assertEquals(0x200083L, tables[2][1]);
        assertEquals(511L * 0x200000 | 0x83, tables[2][511]);
    }

    @Test
    void translationIsTheIdentityBelowOneGib() {
        assertEquals(0x8000L, PageTables.translate(tables, 0x8000));
        assertEquals(0x1000_0123L, PageTables.translate(tables, 0x1000_0123L));
        assertEquals(0x3fff_ffffL, PageTables.translate(tables, 0x3fff_ffffL));
        assertThrows(IllegalArgumentException.class, () -> PageTables.translate(tables, 0x4000_0000L));
    }

    @Test
    void thePciHoleIsMappedThroughItsOwnDirectory() {
        long[][] t = PageTables.identityMap(0x1000, 0x2000, 0x3000, 0, 0, 0x5000);
        assertEquals(0x5003L, t[1][3], "PDPT[3] -> directory of the fourth GiB");
        assertEquals(0L, t[1][1], "second GiB unmapped");
        assertEquals(0xd000_0100L, PageTables.translate(t, 0xd000_0100L));
        assertEquals(0xffff_ffffL, PageTables.translate(t, 0xffff_ffffL));
        assertThrows(IllegalArgumentException.class, () -> PageTables.translate(t, 0x4000_0000L));
        assertThrows(IllegalArgumentException.class, () -> PageTables.translate(t, 0x1_0000_0000L));
    }

    @Test
    void writtenTablesLandAtTheirPhysicalAddresses() {
        try (GuestMemory m = GuestMemory.allocate(0, 64 * 1024)) {
            assertEquals(0x1000L, PageTables.write(m, 0x1000, 0x2000, 0x3000));
            assertEquals(0x2003L, m.readU64(0x1000));
            assertEquals(0x200083L, m.readU64(0x3008));
        }
    }
}
