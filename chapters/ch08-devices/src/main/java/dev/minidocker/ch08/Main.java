package dev.minidocker.ch08;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.device.DebugExit;
import dev.minidocker.vmm.device.TextDisplay;
import dev.minidocker.vmm.device.Uart8250;
import dev.minidocker.vmm.guest.Guest;
import dev.minidocker.vmm.guest.MailboxGuest;
import dev.minidocker.vmm.guest.MmioGuest;
import dev.minidocker.vmm.guest.PortWritesGuest;
import dev.minidocker.vmm.kvm.VmmException;
import dev.minidocker.vmm.machine.Machine;
import dev.minidocker.vmm.machine.RunResult;
import dev.minidocker.vmm.memory.MemoryMap;

/**
 * Chapter 8: devices. A guest reaches devices two ways: IN/OUT instructions on the I/O port bus
 * and ordinary loads and stores to addresses without RAM (MMIO). Both stop the vCPU and land in
 * the VMM, which plays the device.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        try {
            demo(Narrator.fromArgs(args));
        } catch (VmmException | SyscallException e) {
            System.err.println("ch08: " + e.getMessage());
            System.exit(125);
        }
    }

    /** A run's serial output, trace and result. */
    record Run(String serial, String[] trace, RunResult result, Machine machine) {
    }

    static Run run(Guest guest, CpuMode mode) {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        Machine m = new Machine(Machine.Config.of(serial).withTrace(new PrintStream(trace, true, StandardCharsets.UTF_8)));
        m.load(guest, mode);
        RunResult r = m.run();
        return new Run(serial.toString(StandardCharsets.ISO_8859_1), trace.toString(StandardCharsets.UTF_8).split("\n"), r, m);
    }

    public static void demo(Narrator n) {
        n.title("Chapter 8: Devices on the I/O and MMIO buses");

        n.step("The machine's devices", "two buses: ports for IN/OUT, physical addresses for MMIO");
        n.host(String.format("I/O  0x%03x-0x%03x  8250 UART (COM1)", Uart8250.COM1, Uart8250.COM1 + 7));
        n.host(String.format("I/O  0x%03x        debug exit: the byte written becomes the exit code", DebugExit.PORT));
        n.host(String.format("MMIO 0x%x   text display (%d columns; count register at +0x%x)",
                MemoryMap.MMIO_BASE, TextDisplay.COLUMNS, TextDisplay.COUNT));

        n.step("The VMM writes a string into guest memory; the guest prints it and returns its length",
                "no copy: guest physical 0x4000 is a byte of the VMM's mmap");
        n.host("memory.write(0x4000, \"hello, guest\")");
        Run mailbox = run(new MailboxGuest("hello, guest"), CpuMode.REAL);
        try (Machine m = mailbox.machine()) {
            n.guestLines(mailbox.serial());
            n.host("debug exit code " + mailbox.result().exitCode() + "; the guest wrote "
                    + m.memory().readU16(MailboxGuest.RESULT) + " at 0x" + Long.toHexString(MailboxGuest.RESULT));
        }

        n.step("How the guest's driver talks to the UART", "in from 0x3fd is the line-status register: 0x60 = THRE|TEMT, ready to send");
        for (int i = 0; i < 4; i++) {
            n.host(mailbox.trace()[i]);
        }

        n.step("MMIO: plain stores and a load to 0xd0000000 (in the PCI hole), where there is no RAM", "KVM_EXIT_MMIO with the address, length and data");
        Run mmio = run(new MmioGuest(), CpuMode.PROTECTED);
        try (Machine m = mmio.machine()) {
            for (String line : mmio.trace()) {
                n.host(line);
            }
            n.host("display shows \"" + m.display().text() + "\"; exit code " + mmio.result().exitCode());
        }

        n.step("A port nobody claims", "writes vanish and reads float high (0xff), as on a real bus");
        Run posts = run(new PortWritesGuest(3), CpuMode.PROTECTED);
        try (Machine m = posts.machine()) {
            n.host(posts.trace()[0]);
            n.host("unclaimed accesses on the I/O bus: " + m.ioBus().unclaimed());
        }
        n.conclude("A device is a switch on the exit: port or address in, register behaviour out.");
    }
}
