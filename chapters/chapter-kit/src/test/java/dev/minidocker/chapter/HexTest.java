package dev.minidocker.chapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void aMismatchNamesBothValuesInHex() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Hex.assertHex(0x0123_4567_89ab_cdefL, 0xffff_ffffL, "rax"));
        assertEquals("rax: expected 0x123456789abcdef but was 0xffffffff", e.getMessage());
    }

    @Test
    void equalValuesPass() {
        Hex.assertHex(0x9000, 0x9000, "CR3");
        Hex.assertBits(0x8000_0001L, 0x8000_0001L, 0x8000_0011L, "CR0 PG|PE");
    }

    @Test
    void missingBitsAreNamed() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Hex.assertBits(0x8000_0001L, 0x8000_0001L, 0x11, "CR0 PG|PE"));
        assertEquals("CR0 PG|PE: expected the bits 0x80000001 of mask 0x80000001 but the value 0x11 has 0x1", e.getMessage());
    }
}
