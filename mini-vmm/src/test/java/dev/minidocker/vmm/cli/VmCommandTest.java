package dev.minidocker.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.guest.RegsGuest;
import dev.minidocker.vmm.memory.MemoryMap;
import picocli.CommandLine;

/** {@code mini vm} as a user runs it: exit status, stdout (the guest's serial port) and stderr. */
class VmCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int vm(String... args) {
        return new CommandLine(new VmCommand()).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runHelloPrintsTheGuestsSerialOutputAndExitsZero() {
        Privileged.requireKvm();
        assertEquals(0, vm("run", "hello"));
        assertEquals("Hello from real mode!\n", out());
        assertEquals("", err());
    }

    @Test
    void modeOptionStartsTheSameGuestInLongMode() {
        Privileged.requireKvm();
        assertEquals(0, vm("run", "--mode", "long", "hello"));
        assertEquals("Hello from 64-bit long mode!\n", out());
    }

    @Test
    void runRegsPrintsTheRegistersTheGuestHaltedWith() {
        Privileged.requireKvm();
        assertEquals(0, vm("run", "regs"));
        long afterHlt = MemoryMap.ENTRY + new RegsGuest().assemble(CpuMode.REAL).assemble().length;
        assertTrue(out().startsWith("registers after hlt:\n"), out());
        assertTrue(out().contains("rax 0x0000000000000037"), "ax = 1 + 2 + ... + 10 = 55\n" + out());
        assertTrue(out().contains("rbx 0x000000000000beef"), "the marker\n" + out());
        assertTrue(out().contains("rcx 0x0000000000000000"), "loop counted cx down to 0\n" + out());
        assertTrue(out().contains(String.format("rip 0x%016x", afterHlt)), "rip past the hlt\n" + out());
        assertEquals(6, out().lines().count(), "a heading and 18 registers, four to a line\n" + out());
        assertEquals("", err());
    }

    @Test
    void runMmioShowsWhatTheGuestStoredOnTheDisplay() {
        Privileged.requireKvm();
        assertEquals(10, vm("run", "mmio"), "the guest exits with the count it loaded from the display");
        assertEquals("MMIO text display at 0xd0000000: \"MMIO works\" (10 stores)\n", out());
        out.reset();
        assertEquals(10, vm("run", "--mode", "long", "mmio"));
        assertEquals("MMIO text display at 0xd0000000: \"MMIO works\" (10 stores)\n", out());
    }

    @Test
    void exitStatusIsTheGuestsDebugExitCode() {
        Privileged.requireKvm();
        assertEquals(12, vm("run", "mailbox"));
    }

    @Test
    void traceExitsShowsEachExitAndStatsCountsThem() {
        Privileged.requireKvm();
        assertEquals(10, vm("run", "--trace-exits", "--stats", "mmio"));
        assertTrue(err().contains("KVM_EXIT_MMIO write addr=0xd0000000 len=1 data=4d"), err());
        assertTrue(err().contains("KVM_EXIT_MMIO read  addr=0xd0000100 len=4\n    -> 0xa"), err());
        assertTrue(err().matches("(?s).*KVM_EXIT_MMIO\\s+11\n.*"), err());
    }

    @Test
    void aTripleFaultExits125WithOneLine() {
        Privileged.requireKvm();
        assertEquals(125, vm("run", "triple-fault"));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("mini vm: guest triple-faulted (KVM_EXIT_SHUTDOWN)"), err());
    }

    @Test
    void unknownGuestAndWrongModeAreOneLineErrors() {
        assertEquals(125, vm("run", "nosuch"));
        assertTrue(err().startsWith("mini vm: no guest named 'nosuch': try hello, regs"), err());
        err.reset();
        assertEquals(125, vm("run", "--mode", "long", "regs"));
        assertEquals("mini vm: guest regs runs in [real] mode, not long\n", err());
    }

    @Test
    void guestsListsEveryGuestWithItsModes() {
        assertEquals(0, vm("guests"));
        assertTrue(out().contains("hello         real,protected,long"), out());
        assertTrue(out().contains("timer") && out().contains("[irqchip]"), out());
    }

    @Test
    void guestsListingShowsBytesBesideTheAssembly() {
        assertEquals(0, vm("guests", "--listing", "regs"));
        assertTrue(out().contains("00008000  31 c0                           xor ax, ax"), out());
        assertTrue(out().contains("loop sum"), out());
    }

    @Test
    void memoryOverlappingTheMmioWindowIsRefused() {
        assertEquals(125, vm("run", "--mem", "4g", "hello"));
        assertEquals("mini vm: guest memory of 4096 MiB would cover the PCI hole at 0xd0000000 (MMIO window, APICs): use at most 3328 MiB\n", err());
    }

    @Test
    void memorySizesParseLikeDockers() {
        assertEquals(2L << 20, VmCommand.parseSize("2m"));
        assertEquals(1L << 30, VmCommand.parseSize("1G"));
    }

    @Test
    void bootRefusesWhatIsNotAKernelInOneLine() {
        assertEquals(125, vm("boot", "--kernel", "/etc/passwd"));
        assertEquals("mini vm: /etc/passwd is not a Linux kernel (bzImage): no boot flag 0xaa55 and \"HdrS\" in its setup "
                + "header (a vmlinux ELF or compressed file? use the vmlinuz from /boot)\n", err());
    }

    @Test
    void bootNamesAMissingKernelOrInitrd() {
        assertEquals(125, vm("boot", "--kernel", "/nonexistent/vmlinuz"));
        assertEquals(125, vm("boot", "--kernel", "/etc/passwd", "--initrd", "/nonexistent/initrd"));
        assertEquals("mini vm: kernel /nonexistent/vmlinuz does not exist\n"
                + "mini vm: /etc/passwd is not a Linux kernel (bzImage): no boot flag 0xaa55 and \"HdrS\" in its setup "
                + "header (a vmlinux ELF or compressed file? use the vmlinuz from /boot)\n", err(), "the kernel is checked first");
    }

    @Test
    void bootExecNeedsTheDefaultInitramfs() {
        assertEquals(125, vm("boot", "--exec", "true", "--initrd", "/etc/hostname"));
        assertEquals("mini vm: --exec needs the default initramfs: drop --initrd (or run the command from your own init)\n", err());
        assertEquals("", out());
    }
}
