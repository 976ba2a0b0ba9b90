package dev.minidocker.ch09;

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
            assertEquals(va, PageTables.translate(t, va));
        }
        assertEquals(MemoryMap.PDPT | 3, t[0][0]);
        assertEquals(0x83, t[2][0]);
    }

    @Test
    void realModeGuestSeesProtectionOff() {
        Privileged.requireKvm();
        Main.ModeRun r = Main.runHello(CpuMode.REAL);
        assertEquals("Hello from real mode!\n", r.serial());
        assertEquals(0, r.cr0() & ControlRegisters.CR0_PE);
    }

    @Test
    void protectedModeGuestSeesProtectionOnAndNoPaging() {
        Privileged.requireKvm();
        Main.ModeRun r = Main.runHello(CpuMode.PROTECTED);
        assertEquals("Hello from 32-bit protected mode!\n", r.serial());
        assertEquals(ControlRegisters.CR0_PE, r.cr0() & (ControlRegisters.CR0_PE | ControlRegisters.CR0_PG));
    }

    @Test
    void longModeGuestHas64BitRegistersAndSeesLongModeActive() {
        Privileged.requireKvm();
        Main.ModeRun r = Main.runHello(CpuMode.LONG);
        assertEquals("Hello from 64-bit long mode!\n", r.serial());
        assertTrue((r.cr0() & ControlRegisters.CR0_PG) != 0);
        assertEquals(0x0123_4567_89ab_cdefL, r.value64());
        assertTrue((r.efer() & ControlRegisters.EFER_LMA) != 0);
        assertEquals(MemoryMap.PML4, r.sregs().cr3());
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
