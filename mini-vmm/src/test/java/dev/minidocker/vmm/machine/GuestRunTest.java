package dev.minidocker.vmm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.cpu.ControlRegisters;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.guest.EchoGuest;
import dev.minidocker.vmm.guest.Guest;
import dev.minidocker.vmm.guest.HelloGuest;
import dev.minidocker.vmm.guest.MailboxGuest;
import dev.minidocker.vmm.guest.MmioGuest;
import dev.minidocker.vmm.guest.PortWritesGuest;
import dev.minidocker.vmm.guest.RegsGuest;
import dev.minidocker.vmm.guest.TimerGuest;
import dev.minidocker.vmm.guest.TripleFaultGuest;
import dev.minidocker.vmm.kvm.KvmRun;
import dev.minidocker.vmm.kvm.VmExit;
import dev.minidocker.vmm.memory.MemoryMap;

/** Each bundled guest on the real /dev/kvm: what it printed, wrote, returned and left in its registers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuestRunTest {
    private final ByteArrayOutputStream serial = new ByteArrayOutputStream();

    @BeforeEach
    void needKvm() {
        Privileged.requireKvm();
    }

    private String serial() {
        return serial.toString(StandardCharsets.ISO_8859_1);
    }

    private Machine machine(Guest guest) {
        return new Machine(Machine.Config.of(serial).withIrqchip(guest.needsIrqchip()));
    }

    @Test
    void helloInRealModePrintsItsGreetingAndHalts() {
        try (Machine m = machine(new HelloGuest())) {
            m.load(new HelloGuest(), CpuMode.REAL);
            RunResult r = m.run();
            assertEquals("Hello from real mode!\n", serial());
            assertEquals(RunResult.End.HLT, r.end());
            assertEquals(0, r.exitCode());
            assertEquals(0, m.memory().readU32(MemoryMap.MAILBOX) & ControlRegisters.CR0_PE, "CR0.PE clear");
            assertEquals(2L * "Hello from real mode!\n".length(), r.stats().count("KVM_EXIT_IO"), "one LSR read and one THR write a byte");
            assertEquals(22, r.stats().ioExitsAt(0x3fd), "LSR reads");
            assertEquals(22, r.stats().ioExitsAt(0x3f8), "THR writes");
        }
    }

    @Test
    void helloInProtectedModeSeesProtectionOnAndPagingOff() {
        try (Machine m = machine(new HelloGuest())) {
            m.load(new HelloGuest(), CpuMode.PROTECTED);
            m.run();
            assertEquals("Hello from 32-bit protected mode!\n", serial());
            long cr0 = m.memory().readU32(MemoryMap.MAILBOX);
            assertEquals(ControlRegisters.CR0_PE, cr0 & (ControlRegisters.CR0_PE | ControlRegisters.CR0_PG));
        }
    }

    @Test
    void helloInLongModeUses64BitRegistersThroughThePageTables() {
        try (Machine m = machine(new HelloGuest())) {
            m.load(new HelloGuest(), CpuMode.LONG);
            RunResult r = m.run();
            assertEquals("Hello from 64-bit long mode!\n", serial());
            long cr0 = m.memory().readU32(MemoryMap.MAILBOX);
            assertTrue((cr0 & ControlRegisters.CR0_PG) != 0, "paging on");
            assertEquals(0x0123_4567_89ab_cdefL, m.memory().readU64(MemoryMap.MAILBOX + 8));
            assertTrue((m.memory().readU32(MemoryMap.MAILBOX + 16) & ControlRegisters.EFER_LMA) != 0, "EFER.LMA");
            assertEquals(0xc000_0080L, r.regs().rcx(), "rdmsr's MSR number still in ecx");
        }
    }

    @Test
    void regsGuestLeavesTheSumInAxAfterHlt() {
        try (Machine m = machine(new RegsGuest())) {
            var program = m.load(new RegsGuest(), CpuMode.REAL);
            RunResult r = m.run();
            assertEquals(RunResult.End.HLT, r.end());
            assertEquals(55, r.regs().rax() & 0xffff);
            assertEquals(RegsGuest.MARKER, r.regs().rbx() & 0xffff);
            assertEquals(0, r.regs().rcx() & 0xffff);
            assertEquals(MemoryMap.ENTRY + program.assemble().length, r.regs().rip(), "rip just past hlt");
            assertEquals(1, r.stats().exits(), "no I/O: the only exit is the HLT");
        }
    }

    @Test
    void mailboxGuestReadsWhatTheVmmWroteAndWritesBack() {
        MailboxGuest guest = new MailboxGuest("hello, guest");
        try (Machine m = machine(guest)) {
            m.load(guest, CpuMode.REAL);
            RunResult r = m.run();
            assertEquals("the VMM says: hello, guest\n", serial());
            assertEquals(RunResult.End.DEBUG_EXIT, r.end());
            assertEquals(12, r.exitCode());
            assertEquals(12, m.memory().readU16(MailboxGuest.RESULT));
        }
    }

    @Test
    void mmioGuestStoresTextAndLoadsTheCounterThroughMmioExits() {
        for (CpuMode mode : new CpuMode[] {CpuMode.PROTECTED, CpuMode.LONG}) {
            try (Machine m = machine(new MmioGuest())) {
                m.load(new MmioGuest(), mode);
                RunResult r = m.run();
                assertEquals(MmioGuest.TEXT, m.display().text(), mode.name());
                assertEquals(MmioGuest.TEXT.length(), r.exitCode());
                assertEquals(MmioGuest.TEXT.length() + 1, r.stats().count("KVM_EXIT_MMIO"), "stores plus one load");
            }
        }
    }

    @Test
    void timerGuestCountsPitInterruptsThroughItsInterruptTable() {
        TimerGuest guest = new TimerGuest();
        try (Machine m = machine(guest)) {
            var program = m.load(guest, CpuMode.REAL);
            RunResult r = m.run();
            assertEquals(TimerGuest.TICKS, r.exitCode());
            assertEquals(".".repeat(TimerGuest.TICKS) + "\n", serial());
            assertEquals(TimerGuest.TICKS, m.memory().readU32(program.address(label(program, "ticks"))));
            assertTrue(r.stats().exits() <= TimerGuest.TICKS * 2 + 2, "PIC and PIT ports are handled in the kernel");
        }
    }

    @Test
    void timerGuestInProtectedModeUsesA32BitIdt() {
        Assumptions.assumeFalse(Files.exists(Path.of("/sys/module/kvm_pvm")),
                "kvm_pvm's instruction emulator cannot do a protected-mode IRET (hardware KVM can)");
        TimerGuest guest = new TimerGuest();
        try (Machine m = machine(guest)) {
            m.load(guest, CpuMode.PROTECTED);
            assertEquals(TimerGuest.TICKS, m.run().exitCode());
        }
    }

    @Test
    void onSoftwareOnlyKvmAProtectedModeIretIsExplained() {
        Assumptions.assumeTrue(Files.exists(Path.of("/sys/module/kvm_pvm")), "hardware KVM runs iret natively");
        TimerGuest guest = new TimerGuest();
        try (Machine m = machine(guest)) {
            m.load(guest, CpuMode.PROTECTED);
            ExitFailure e = assertThrows(ExitFailure.class, m::run);
            VmExit.InternalError exit = assertInstanceOf(VmExit.InternalError.class, e.exit());
            assertEquals(KvmRun.KVM_INTERNAL_ERROR_EMULATION, exit.suberror());
            assertTrue(e.getMessage().contains("instruction emulation failed"), e.getMessage());
            assertTrue(e.getMessage().endsWith("run interrupt guests with --mode real here (hardware KVM runs them in any mode)"),
                    e.getMessage());
            assertEquals(".", serial(), "the first tick reached the handler; returning from it failed");
        }
    }

    @Test
    void echoGuestTakesUartInterruptsAndEchoesTheLine() {
        EchoGuest guest = new EchoGuest();
        try (Machine m = machine(guest)) {
            m.load(guest, CpuMode.REAL);
            m.connectInput(new ByteArrayInputStream("typed\n".getBytes(StandardCharsets.US_ASCII)));
            RunResult r = m.run();
            assertEquals(EchoGuest.PROMPT + "typed\n", serial());
            assertEquals(6, r.exitCode());
        }
    }

    @Test
    void echoGuestStopsAtEndOfInput() {
        EchoGuest guest = new EchoGuest();
        try (Machine m = machine(guest)) {
            m.load(guest, CpuMode.REAL);
            m.connectInput(new ByteArrayInputStream("ab".getBytes(StandardCharsets.US_ASCII)));
            RunResult r = m.run();
            assertEquals(EchoGuest.PROMPT + "ab", serial());
            assertEquals(2, r.exitCode());
        }
    }

    @Test
    void tripleFaultIsAVmmErrorWithTheRegisters() {
        try (Machine m = machine(new TripleFaultGuest())) {
            m.load(new TripleFaultGuest(), CpuMode.PROTECTED);
            ExitFailure e = assertThrows(ExitFailure.class, m::run);
            assertInstanceOf(VmExit.Shutdown.class, e.exit());
            assertTrue(e.getMessage().startsWith("guest triple-faulted (KVM_EXIT_SHUTDOWN)"), e.getMessage());
            assertTrue(e.getMessage().contains("rip=0x8007"), "rip at the ud2: " + e.getMessage());
        }
    }

    @Test
    void portWritesGuestMakesOneExitPerWrite() {
        PortWritesGuest guest = new PortWritesGuest(500);
        try (Machine m = machine(guest)) {
            m.load(guest, CpuMode.PROTECTED);
            RunResult r = m.run();
            assertEquals(0, r.exitCode());
            assertEquals(501, r.stats().count("KVM_EXIT_IO"), "500 writes to port 0x80 and the debug exit");
            assertEquals(500, m.ioBus().unclaimed(), "no device on port 0x80");
        }
    }

    @Test
    void interruptGuestsNeedAnIrqchip() {
        try (Machine m = new Machine(Machine.Config.of(serial))) {
            assertThrows(IllegalArgumentException.class, () -> m.load(new TimerGuest(), CpuMode.REAL));
        }
    }

    private static dev.minidocker.vmm.guest.Asm.Label label(dev.minidocker.vmm.guest.Asm program, String name) {
        return program.labelNamed(name);
    }
}
