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
}
