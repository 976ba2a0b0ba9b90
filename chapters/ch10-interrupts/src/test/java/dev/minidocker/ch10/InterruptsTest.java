package dev.minidocker.ch10;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.device.Uart8250;
import dev.minidocker.vmm.guest.EchoGuest;
import dev.minidocker.vmm.guest.TimerGuest;

/** The chapter's claim: timer and device interrupts reach the guest's handlers, and HLT waits for them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InterruptsTest {
    @Test
    void uartRaisesItsLineForReceivedDataOnlyWhenTheGuestEnabledIt() {
        List<Boolean> line = new ArrayList<>();
        Uart8250 uart = new Uart8250(new ByteArrayOutputStream(), line::add);
        uart.receive(new byte[] {'x'});
        uart.write(Uart8250.MCR, 1, Uart8250.MCR_OUT2);
        assertEquals(List.of(), line, "receive interrupts not enabled in IER");
        uart.write(Uart8250.IER, 1, Uart8250.IER_RDI);
        assertEquals(List.of(true), line);
        uart.read(Uart8250.RBR_THR, 1);
        assertEquals(List.of(true, false), line, "reading the byte drops the request");
    }

    @Test
    void timerInterruptsAreCountedByTheGuestsHandler() {
        Privileged.requireKvm();
        Main.Run r = Main.run(new TimerGuest(), null);
        assertEquals(TimerGuest.TICKS, r.result().exitCode());
        assertEquals(TimerGuest.TICKS, r.ticksInMemory());
        assertEquals(".".repeat(TimerGuest.TICKS) + "\n", r.serial());
        assertEquals(TimerGuest.TICKS + 2, r.result().stats().exits(), "dots, newline, debug exit: nothing else");
    }

    @Test
    void typedInputArrivesAsInterruptsAndIsEchoed() {
        Privileged.requireKvm();
        Main.Run r = Main.run(new EchoGuest(), new ByteArrayInputStream("abc\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(EchoGuest.PROMPT + "abc\n", r.serial());
        assertEquals(4, r.result().exitCode());
    }

    @Test
    void theDemoShowsTicksAndEcho() {
        Privileged.requireKvm();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.demo(new Narrator(new PrintStream(out, true, StandardCharsets.UTF_8), false), null);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ticks counted by the guest: " + TimerGuest.TICKS), text);
        assertTrue(text.contains(Main.TYPED.strip()), text);
        assertTrue(text.contains("the guest echoed " + Main.TYPED.length() + " bytes"), text);
    }
}
