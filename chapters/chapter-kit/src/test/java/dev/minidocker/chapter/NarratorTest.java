package dev.minidocker.chapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class NarratorTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Narrator narrator(boolean colour) {
        return new Narrator(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, colour);
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyLineFitsOneHundredColumns() {
        Narrator n = narrator(false);
        String longText = "Run the classic escape (chroot into a subdirectory, walk up with .., chroot(\".\")) in a"
                + " container isolated only by chroot, and then say a good deal more about it than fits";
        n.step(longText, longText);
        n.host("x".repeat(250));
        n.conclude(longText);
        for (String line : text().split("\n")) {
            assertTrue(line.length() <= Narrator.WIDTH, line.length() + ": " + line);
        }
        assertTrue(text().contains("[1] Run the classic escape"), text());
        assertTrue(text().contains("\n    look at: Run the classic"), text());
        assertTrue(text().contains("\n        " + "x".repeat(Narrator.WIDTH - 8)), "a long word is cut, the rest indented");
    }

    @Test
    void wrapsAtSpacesAndKeepsAllTheWords() {
        List<String> lines = Narrator.wrap("one two three four five", 9);
        assertEquals(List.of("one two", "three", "four five"), lines);
        assertEquals(List.of("  a table"), Narrator.wrap("  a table", 20), "leading spaces stay");
    }

    @Test
    void guestOutputIsLabelledGuest() {
        narrator(false).guestLines("Hello from real mode!\n");
        assertEquals(" guest> Hello from real mode!\n", text());
    }

    @Test
    void colourOnlyWhenAsked() {
        narrator(false).host("plain");
        assertFalse(text().contains("\u001B["), text());
        bytes.reset();
        narrator(true).host("coloured");
        assertTrue(text().startsWith("\u001B[32m  host$ \u001B[0mcoloured"), text());
    }

    @Test
    void colourNeedsATerminalAndNoNoColor() {
        assertTrue(Narrator.colourWanted(true, null, "xterm-256color"));
        assertTrue(Narrator.colourWanted(true, "", "xterm"));
        assertFalse(Narrator.colourWanted(true, "1", "xterm"), "NO_COLOR set");
        assertFalse(Narrator.colourWanted(false, null, "xterm"), "a pipe or a file");
        assertFalse(Narrator.colourWanted(true, null, "dumb"));
    }

    @Test
    void anEmptyBlockOfOutputSaysSo() {
        narrator(false).insideLines("");
        assertEquals("   ctr# " + Narrator.NO_OUTPUT + "\n", text());
    }
}
