package dev.minidocker.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class E820Test {
    @Test
    void lowRamThenTheLegacyHoleThenRamToTheEnd() {
        List<E820.Entry> map = E820.forMemory(256L << 20);
        assertEquals(List.of(
                new E820.Entry(0, 0x9fc00, E820.RAM),
                new E820.Entry(0x9fc00, 0x100000 - 0x9fc00, E820.RESERVED),
                new E820.Entry(0x100000, (256L << 20) - 0x100000, E820.RAM)), map);
        for (int i = 1; i < map.size(); i++) {
            assertEquals(map.get(i - 1).end(), map.get(i).address(), "contiguous, no overlap");
        }
    }

    @Test
    void encodesTwentyBytesPerEntry() {
        byte[] table = E820.encode(E820.forMemory(64L << 20));
        assertEquals(60, table.length);
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x9fc00L, b.getLong(20));
        assertEquals(E820.RESERVED, b.getInt(36));
        assertThrows(IllegalArgumentException.class,
                () -> E820.encode(Collections.nCopies(129, new E820.Entry(0, 4096, E820.RAM))));
    }
}
