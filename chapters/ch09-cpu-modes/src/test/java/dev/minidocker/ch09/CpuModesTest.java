package dev.minidocker.ch09;

import static dev.minidocker.chapter.Hex.assertBits;
import static dev.minidocker.chapter.Hex.assertHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.cpu.ControlRegisters;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.cpu.PageTables;
import dev.minidocker.vmm.memory.MemoryMap;

/** The chapter's claim: the guest really runs in the mode the VMM set, as the guest itself sees it. */
class CpuModesTest {
    @Test
    void pageTablesMapEveryAddressBelowOneGibToItself() {
        long[][] t = PageTables.identityMap1GiB(MemoryMap.PML4, MemoryMap.PDPT, MemoryMap.PAGE_DIRECTORY);
        for (long va = 0; va < (1L << 30); va += 0x1234567) {
            assertHex(va, PageTables.translate(t, va), "the physical address of virtual " + dev.minidocker.chapter.Hex.of(va));
        }
        assertHex(MemoryMap.PDPT | 3, t[0][0], "PML4[0]: the PDPT, present and writable");
        assertHex(0x83, t[2][0], "PD[0]: 2 MiB at 0, present, writable, PS");
    }

    @Test
    void realModeGuestSeesProtectionOff() {
        Privileged.requireKvm();
        Main.ModeRun r = Main.runHello(CpuMode.REAL);
        assertEquals("Hello from real mode!\n", r.serial());
        assertBits(ControlRegisters.CR0_PE, 0, r.cr0(), "CR0.PE clear in real mode");
    }

    @Test
    void protectedModeGuestSeesProtectionOnAndNoPaging() {
        Privileged.requireKvm();
        Main.ModeRun r = Main.runHello(CpuMode.PROTECTED);
        assertEquals("Hello from 32-bit protected mode!\n", r.serial());
        assertBits(ControlRegisters.CR0_PE | ControlRegisters.CR0_PG, ControlRegisters.CR0_PE, r.cr0(), "CR0: PE set, PG clear");
    }

    @Test
    void longModeGuestHas64BitRegistersAndSeesLongModeActive() {
        Privileged.requireKvm();
        Main.ModeRun r = Main.runHello(CpuMode.LONG);
        assertEquals("Hello from 64-bit long mode!\n", r.serial());
        assertBits(ControlRegisters.CR0_PG, ControlRegisters.CR0_PG, r.cr0(), "CR0.PG (paging is required in long mode)");
        assertHex(0x0123_4567_89ab_cdefL, r.value64(), "the 64-bit value the guest stored");
        assertBits(ControlRegisters.EFER_LMA, ControlRegisters.EFER_LMA, r.efer(), "EFER.LMA (long mode active)");
        assertHex(MemoryMap.PML4, r.sregs().cr3(), "CR3: the PML4's address");
    }

    @Test
    void theDemoWalksThroughTheThreeModes() {
        Privileged.requireKvm();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.demo(new Narrator(new PrintStream(out, true, StandardCharsets.UTF_8), false));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("GDT[1] (selector 0x08) = 0x00cf9b000000ffff"), text);
        assertTrue(text.contains("Hello from 64-bit long mode!"), text);
        assertTrue(text.contains("LMA set"), text);
    }
}
