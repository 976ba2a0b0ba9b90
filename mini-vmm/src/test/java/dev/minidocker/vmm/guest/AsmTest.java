package dev.minidocker.vmm.guest;

import static dev.minidocker.vmm.guest.Asm.Reg.AL;
import static dev.minidocker.vmm.guest.Asm.Reg.AX;
import static dev.minidocker.vmm.guest.Asm.Reg.CX;
import static dev.minidocker.vmm.guest.Asm.Reg.DX;
import static dev.minidocker.vmm.guest.Asm.Reg.EAX;
import static dev.minidocker.vmm.guest.Asm.Reg.ECX;
import static dev.minidocker.vmm.guest.Asm.Reg.RAX;
import static dev.minidocker.vmm.guest.Asm.Reg.RDI;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import dev.minidocker.vmm.cpu.CpuMode;

/** Encodings checked against objdump's disassembly of the same bytes. */
class AsmTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void sixteenBitCodeUsesOperandSizePrefixFor32BitRegisters() {
        Asm a = new Asm(16, 0x8000);
        a.mov(DX, 0x3fd).inDx(AL).mov(EAX, Asm.Mem.at(0x4000)).out(0xf4, AL).hlt();
        assertArrayEquals(hex("ba fd 03  ec  66 8b 06 00 40  e6 f4  f4"), a.assemble());
    }

    @Test
    void thirtyTwoBitCodeUsesThePrefixFor16BitRegisters() {
        Asm a = new Asm(32, 0x8000);
        a.mov(DX, 0x3f8).outDx(AL).inc(Asm.Mem.at(0x9000).asDword()).cmp(Asm.Mem.at(0x9000).asDword(), 10);
        assertArrayEquals(hex("66 ba f8 03  ee  ff 05 00 90 00 00  83 3d 00 90 00 00 0a"), a.assemble());
    }

    @Test
    void longModeAbsoluteAddressesUseASibByteNotRipRelative() {
        Asm a = new Asm(64, 0x8000);
        a.mov(RAX, 0x0123456789abcdefL).mov(Asm.Mem.at(0x4008), RAX).mov(Asm.Mem.at(RDI), AL).inc(RDI);
        assertArrayEquals(hex("48 b8 ef cd ab 89 67 45 23 01  48 89 04 25 08 40 00 00  88 07  48 ff c7"), a.assemble());
    }

    @Test
    void labelsResolveForwardAndBackward() {
        Asm a = new Asm(16, 0x8000);
        Asm.Label top = a.label("top");
        Asm.Label end = a.label("end");
        a.bind(top).mov(CX, 3).loop(top).jz(end).jmp(top).bind(end).hlt();
        // loop back 5 bytes; jz forward over the 3-byte jmp; jmp back to 0
        assertArrayEquals(hex("b9 03 00  e2 fb  0f 84 03 00  e9 f4 ff  f4"), a.assemble());
        assertEquals(0x800cL, a.address(end));
    }

    @Test
    void interruptGateSplitsTheHandlerAddressAroundTheSelector() {
        Asm a = new Asm(32, 0x12340000L);
        Asm.Label handler = a.label("handler");
        a.idtGate32(handler, 0x08).bind(handler).iret();
        assertArrayEquals(hex("08 00 08 00 00 8e 34 12  cf"), a.assemble());
    }

    @Test
    void listingShowsAddressBytesAndSource() {
        Asm a = new Asm(16, 0x8000);
        a.comment("sum").xor(AX, AX).hlt();
        String listing = a.listing();
        assertTrue(listing.contains("00008000  31 c0"), listing);
        assertTrue(listing.contains("xor ax, ax"), listing);
        assertTrue(listing.contains("; sum"), listing);
    }

    @Test
    void mistakesAreCaughtWhenAssembling() {
        assertThrows(IllegalArgumentException.class, () -> new Asm(32, 0).mov(RAX, 1));
        assertThrows(IllegalArgumentException.class, () -> new Asm(32, 0).add(EAX, CX));
        assertThrows(IllegalArgumentException.class, () -> new Asm(32, 0).outDx(ECX));
        Asm a = new Asm(16, 0);
        a.jmp(a.label("nowhere"));
        assertThrows(IllegalStateException.class, a::assemble);
    }

    @Test
    void everyBundledGuestAssemblesInEachOfItsModesReproducibly() {
        for (Guest g : Guests.all()) {
            for (CpuMode m : g.modes()) {
                assertArrayEquals(g.assemble(m).assemble(), g.assemble(m).assemble(), g.name());
            }
        }
    }
}
