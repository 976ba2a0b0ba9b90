package dev.minidocker.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.minidocker.exercises.grade.Words;

class WordsTest {
    @Test
    void testMethodNamesReadAsSentences() {
        assertEquals("process inside sees itself as pid 1", Words.fromIdentifier("processInsideSeesItselfAsPid1"));
        assertEquals("hostname changes inside not outside", Words.fromIdentifier("hostnameChangesInside_notOutside"));
        assertEquals("the UTS name is private", Words.fromIdentifier("theUTSNameIsPrivate"));
    }
}
