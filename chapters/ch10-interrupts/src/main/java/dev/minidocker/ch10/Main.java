package dev.minidocker.ch10;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.vmm.cpu.CpuMode;
import dev.minidocker.vmm.guest.EchoGuest;
import dev.minidocker.vmm.guest.Guest;
import dev.minidocker.vmm.guest.TimerGuest;
import dev.minidocker.vmm.kvm.VmmException;
import dev.minidocker.vmm.machine.Machine;
import dev.minidocker.vmm.machine.RunResult;

/**
 * Chapter 10: interrupts and timers. With KVM_CREATE_IRQCHIP and KVM_CREATE_PIT2 the kernel
 * emulates the PICs and the timer; the guest sleeps in HLT and wakes on an interrupt, and the
 * VMM raises the UART's line with KVM_IRQ_LINE when input arrives.
 */
public final class Main {
    public static final String TYPED = "hello, interrupts\n";

    private Main() {
    }

    public static void main(String[] args) {
        boolean interactive = Arrays.asList(args).contains("--interactive");
        try {
            demo(Narrator.fromArgs(args), interactive ? System.in : null);
        } catch (VmmException | SyscallException e) {
            System.err.println("ch10: " + e.getMessage());
            System.exit(125);
        }
    }

    /** A run of an interrupt-driven guest: serial output, result, wall time. */
    record Run(String serial, RunResult result, long millis, long ticksInMemory) {
    }

    static Run run(Guest guest, InputStream input) {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try (Machine m = new Machine(Machine.Config.of(serial).withIrqchip(true))) {
            var program = m.load(guest, CpuMode.REAL);
            if (input != null) {
                m.connectInput(input);
            }
            long t0 = System.nanoTime();
            RunResult r = m.run();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long ticks = guest instanceof TimerGuest ? m.memory().readU32(program.address(program.labelNamed("ticks"))) : -1;
            return new Run(serial.toString(StandardCharsets.ISO_8859_1), r, ms, ticks);
        }
    }

    public static void demo(Narrator n, InputStream typed) {
        n.title("Chapter 10: Interrupts and timers");

        n.step("Give the VM interrupt controllers and a timer in the kernel",
                "KVM_CREATE_IRQCHIP (two 8259 PICs, I/O APIC, local APIC) and KVM_CREATE_PIT2 (the 8254)");
        n.say("Guest writes to ports 0x20/0x21/0xa0/0xa1 (PIC) and 0x40-0x43 (PIT) no longer exit:");
        n.say("the kernel answers them. HLT no longer exits either: the vCPU sleeps until an interrupt.");

        n.step("The timer guest: remap the PIC, lidt its vector table, program the PIT at " + TimerGuest.HZ + " Hz, sti; hlt",
                "one dot per tick from the handler; the exits are only the dots, the newline and the debug exit");
        n.say("It runs in real mode, where a vector is 4 bytes (offset, segment); in protected mode the same");
        n.say("program uses 8-byte interrupt gates (vm run --mode protected timer, on hardware KVM).");
        n.host(String.format("PIT divisor = 1193182 / %d = %d", TimerGuest.HZ, TimerGuest.DIVISOR));
        Run timer = run(new TimerGuest(), null);
        n.guestLines(timer.serial());
        n.host("ticks counted by the guest: " + timer.ticksInMemory() + " (exit code " + timer.result().exitCode() + ")");
        n.host("vm exits: " + timer.result().stats().exits() + " in " + timer.millis() + " ms; "
                + TimerGuest.TICKS + " ticks at " + TimerGuest.HZ + " Hz take about " + 1000 * TimerGuest.TICKS / TimerGuest.HZ + " ms");

        n.step("Typing into the guest: input raises the UART's IRQ 4 with KVM_IRQ_LINE",
                "the guest's handler reads every waiting byte and echoes it; newline ends the run");
        InputStream input = typed != null ? typed : new ByteArrayInputStream(TYPED.getBytes(StandardCharsets.US_ASCII));
        if (typed == null) {
            n.host("typing: " + TYPED.strip() + "\\n");
        } else {
            n.say("type a line and press Enter");
        }
        Run echo = run(new EchoGuest(), input);
        n.guestLines(echo.serial());
        n.host("the guest echoed " + echo.result().exitCode() + " bytes");
        n.conclude("An interrupt is the device's way to end the guest's HLT: no polling, no exits while idle.");
    }
}
