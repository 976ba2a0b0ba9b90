package dev.minidocker.ch08;

import static dev.minidocker.chapter.Hex.assertHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.device.IrqLine;
import dev.minidocker.vmm.device.Uart8250;
import dev.minidocker.vmm.guest.MailboxGuest;
import dev.minidocker.vmm.guest.MmioGuest;
import dev.minidocker.vmm.machine.Machine;

/** The chapter's claim: device access is exits the VMM answers, on ports and on addresses. */
class DevicesTest {
    @Test
    void lineStatusSaysReadyToSendAndDataReadyOnlyWhenSomethingArrived() {
        Uart8250 uart = new Uart8250(new ByteArrayOutputStream(), IrqLine.NONE);
        assertHex(0x60, uart.read(Uart8250.LSR, 1), "LSR: THRE | TEMT");
        uart.receive(new byte[] {'k'});
        assertHex(0x61, uart.read(Uart8250.LSR, 1), "LSR: THRE | TEMT and DR");
        assertEquals('k', uart.read(Uart8250.RBR_THR, 1));
        assertHex(0x60, uart.read(Uart8250.LSR, 1), "LSR after reading the byte: THRE | TEMT, no DR");
    }

    @Test
    void guestReadsVmmMemoryAndAnswersThroughPortsAndMemory() {
        Privileged.requireKvm();
        Main.Run run = Main.run(new MailboxGuest("four"), CpuMode.REAL);
        try (Machine m = run.machine()) {
            assertEquals("the VMM says: four\n", run.serial());
            assertEquals(4, run.result().exitCode());
            assertEquals(4, m.memory().readU16(MailboxGuest.RESULT));
        }
    }

    @Test
    void storesAndLoadsWithoutRamBecomeMmioExits() {
        Privileged.requireKvm();
        Main.Run run = Main.run(new MmioGuest(), CpuMode.PROTECTED);
        try (Machine m = run.machine()) {
            assertEquals("MMIO works", m.display().text());
            assertEquals(10, run.result().exitCode());
            assertEquals("KVM_EXIT_MMIO write addr=0xd0000000 len=1 data=4d", run.trace()[0]);
            assertEquals("KVM_EXIT_MMIO read  addr=0xd0000100 len=4", run.trace()[10]);
        }
    }

    @Test
    void theDemoShowsEachBus() {
        Privileged.requireKvm();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.demo(new Narrator(new PrintStream(out, true, StandardCharsets.UTF_8), false));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("the VMM says: hello, guest"), text);
        assertTrue(text.contains("display shows \"MMIO works\""), text);
        assertTrue(text.contains("unclaimed accesses on the I/O bus: 3"), text);
    }
}
