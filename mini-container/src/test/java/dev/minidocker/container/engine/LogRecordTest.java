package dev.minidocker.container.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** conmon's k8s-file records, as mini logs reads them back. */
class LogRecordTest {
    private static LogRecord parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return LogRecord.parse(b, b.length);
    }

    @Test
    void aFullStderrLineKeepsItsStreamTimeAndContent() {
        LogRecord r = parse("2026-12-01T20:22:46.195349845+00:00 stderr F oops: it failed\n");
        assertTrue(r.stderr());
        assertFalse(r.partial());
        assertEquals("2026-12-01T20:22:46.195349845+00:00", r.time());
        assertEquals("oops: it failed", new String(r.content(), StandardCharsets.UTF_8));
    }

    @Test
    void aPartialStdoutRecordHasNoLineEndOfItsOwn() {
        LogRecord r = parse("2026-12-01T20:22:46.1+00:00 stdout P no newline yet\n");
        assertFalse(r.stderr());
        assertTrue(r.partial());
        assertEquals("no newline yet", new String(r.content(), StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyLineAndBytesThatAreNotUtf8SurviveAsTheyWere() {
        assertArrayEquals(new byte[0], parse("2026-12-01T20:22:46.1+00:00 stdout F\n").content());
        byte[] raw = {'t', ' ', 's', 't', 'd', 'o', 'u', 't', ' ', 'F', ' ', (byte) 0xff, (byte) 0xfe, '\n'};
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe}, LogRecord.parse(raw, raw.length).content());
    }

    @Test
    void aLineThatIsNoRecordIsNull() {
        assertNull(parse("garbage\n"));
    }
}
