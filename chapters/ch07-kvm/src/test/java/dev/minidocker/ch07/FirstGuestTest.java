package dev.minidocker.ch07;

import static dev.minidocker.chapter.Hex.assertHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.guest.HelloGuest;
import dev.minidocker.vmm.guest.RegsGuest;
import dev.minidocker.vmm.machine.Machine;
import dev.minidocker.vmm.machine.RunResult;
import dev.minidocker.vmm.memory.MemoryMap;

/** The chapter's claim: a loop around KVM_RUN runs real guest code, and the exits are its I/O. */
class FirstGuestTest {
    @BeforeEach
    void needKvm() {
        Privileged.requireKvm();
    }

    @Test
    void realModeGuestPrintsThroughIoExitsThenHalts() {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try (Machine m = new Machine(Machine.Config.of(serial))) {
            m.load(new HelloGuest(), CpuMode.REAL);
            RunResult r = m.run();
            assertEquals("Hello from real mode!\n", serial.toString(StandardCharsets.ISO_8859_1));
            assertEquals(RunResult.End.HLT, r.end());
            assertEquals(44, r.stats().count("KVM_EXIT_IO"), "22 bytes: a status read and a data write each");
            assertEquals(1, r.stats().count("KVM_EXIT_HLT"));
        }
    }

    @Test
    void registersAfterHltHoldWhatTheGuestComputed() {
        try (Machine m = new Machine(Machine.Config.of(new ByteArrayOutputStream()))) {
            m.load(new RegsGuest(), CpuMode.REAL);
            RunResult r = m.run();
            assertEquals(55, r.regs().rax() & 0xffff, "1 + 2 + ... + 10");
            assertHex(0xbeef, r.regs().rbx() & 0xffff, "bx");
            assertHex(MemoryMap.ENTRY + 13, r.regs().rip(), "rip, just past the hlt at offset 12");
        }
    }

    @Test
    void theDemoRunsTheGuestStepByStep() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.demo(new Narrator(new PrintStream(out, true, StandardCharsets.UTF_8), false));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("KVM_GET_API_VERSION) = 12"), text);
        assertTrue(text.contains("KVM_EXIT_IO  out port=0x3f8 size=1 count=1 data=48 'H'"), text);
        assertTrue(text.contains("Hello from real mode!"), text);
        assertTrue(text.contains("45 exits, the last one KVM_EXIT_HLT"), text);
    }
}
