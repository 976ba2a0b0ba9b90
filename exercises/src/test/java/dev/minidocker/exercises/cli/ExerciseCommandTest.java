package dev.minidocker.exercises.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

class ExerciseCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"list", "start", "check", "report", "reset", "solution"})
    void everySubcommandPrintsItsHelpInsteadOfAskingForTheId(String sub) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ExerciseCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int rc = cli.execute(sub, "--help");
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().startsWith("Usage: exercise " + sub), out.toString());
        assertEquals("", err.toString());
    }

    @org.junit.jupiter.api.Test
    void anUnknownExerciseIsOneLineAndExit125() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true));
        int rc;
        try {
            rc = new CommandLine(new ExerciseCommand()).execute("start", "ch99-no-such-exercise");
        } finally {
            System.setErr(saved);
        }
        assertEquals(125, rc);
        assertEquals("mini: no exercise named ch99-no-such-exercise (see ./mini exercise list)\n", err.toString());
    }

    @org.junit.jupiter.api.Test
    void anUnknownBookEditionIsRefusedBeforeMavenRuns() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true));
        int rc;
        try {
            rc = new CommandLine(new BookCommand()).execute("--edition", "teacher");
        } finally {
            System.setErr(saved);
        }
        assertEquals(125, rc);
        assertEquals("mini: --edition is full or student, not teacher\n", err.toString());
    }
}
