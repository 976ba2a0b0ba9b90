package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class ConsoleProtocolTest {
    private static final String NONCE = "0f1e2d3c4b5a6978";

    @Test
    void bootMessagesBeforeTheStartMarkerAreNotOutput() {
        ConsoleProtocol console = new ConsoleProtocol(NONCE);
        assertInstanceOf(ConsoleProtocol.Noise.class, console.line("SeaBIOS (version 1.16.2)\r"));
        assertInstanceOf(ConsoleProtocol.Noise.class, console.line("[    0.000000] Linux version 6.1.0"));
        assertFalse(console.started());
        console.line("@@MINI-LAB-START " + NONCE + "@@\r");
        assertTrue(console.started());
        assertEquals(new ConsoleProtocol.Output("hello"), console.line("hello\r"));
    }

    @Test
    void theStartMarkerIsFoundAfterFirmwareEscapeSequencesOnTheSameLine() {
        ConsoleProtocol console = new ConsoleProtocol(NONCE);
        console.line("Booting from ROM..\u001bc\u001b[?7l\u001b[2J@@MINI-LAB-START " + NONCE + "@@");
        assertTrue(console.started());
    }

    @Test
    void theExitMarkerCarriesTheStatusAndEndsTheOutput() {
        ConsoleProtocol console = started();
        assertEquals(new ConsoleProtocol.Exit(7, ""), console.line("@@MINI-LAB-EXIT " + NONCE + " 7@@\r"));
        assertEquals(OptionalInt.of(7), console.status());
        assertInstanceOf(ConsoleProtocol.Noise.class, console.line("[    9.1] reboot: Power down"));
    }

    @Test
    void outputWithoutAFinalNewlineIsKeptBeforeTheMarker() {
        ConsoleProtocol console = started();
        assertEquals(new ConsoleProtocol.Exit(0, "no newline"), console.line("no newline@@MINI-LAB-EXIT " + NONCE + " 0@@"));
    }

    @Test
    void aMarkerWithAnotherNonceIsJustOutput() {
        ConsoleProtocol console = started();
        String fake = "@@MINI-LAB-EXIT 0000000000000000 0@@";
        assertEquals(new ConsoleProtocol.Output(fake), console.line(fake));
        assertTrue(console.status().isEmpty());
    }

    @Test
    void aFailureBeforeTheCommandStartedKeepsTheBootLinesThatExplainIt() {
        ConsoleProtocol console = new ConsoleProtocol(NONCE);
        console.line("\u001b[2JSeaBIOS");
        console.line("mini-lab guest: cannot mount the host's root over 9p (mount_tag hostroot)");
        console.line("@@MINI-LAB-EXIT " + NONCE + " 125@@");
        assertFalse(console.started());
        assertEquals(OptionalInt.of(125), console.status());
        assertEquals(List.of("SeaBIOS", "mini-lab guest: cannot mount the host's root over 9p (mount_tag hostroot)"),
                console.lastNoise());
    }

    private static ConsoleProtocol started() {
        ConsoleProtocol console = new ConsoleProtocol(NONCE);
        console.line("@@MINI-LAB-START " + NONCE + "@@");
        return console;
    }

    @Test
    void aPromptCanBeShownBeforeItsLineEndsButNotTheStartOfTheExitMarker() {
        ConsoleProtocol console = started();
        assertEquals(2, console.safeLength("# "));
        assertEquals(5, console.safeLength("done @@MINI-LAB-EX"));
        assertEquals(0, console.safeLength("@@MINI-LAB-EXIT " + NONCE + " 1"));
        assertEquals(9, console.safeLength("mail@host"), "an @ that cannot start the marker is shown");
        assertEquals(11, console.safeLength("@@MINI-LABx"), "once it differs from the marker it is shown");
    }
}
