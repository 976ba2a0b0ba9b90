package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;
import picocli.CommandLine;

/** {@code mini network create|ls|inspect|rm} against a store of its own (no container, no bridge is made). */
class NetworkCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void needsRoot() {
        Privileged.requireRoot();
    }

    private Run network(String... args) {
        NetworkCommand cmd = new NetworkCommand();
        cmd.root = dir.resolve("root");
        cmd.runRoot = dir.resolve("run");
        CommandLine cli = new CommandLine(cmd);
        cli.setExecutionExceptionHandler((e, c, parsed) -> Cli.fail(e));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            int code = cli.execute(args);
            return new Run(code, o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void networksAreCreatedListedInspectedAndRemoved() throws Exception {
        Run created = network("create", "--subnet", "10.124.0.0/24", "appnet");
        assertEquals(0, created.code(), created.err());
        assertEquals(64, created.out().trim().length(), "prints the network's ID");

        Run ls = network("ls");
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.out().startsWith("NETWORK ID"), ls.out());
        assertTrue(ls.out().contains(" bridge ") && ls.out().contains("mini0"), "the default network is always there: " + ls.out());
        assertTrue(ls.out().contains("appnet") && ls.out().contains("10.124.0.0/24"), ls.out());
        assertTrue(ls.out().contains(" host ") && ls.out().contains(" none "), "the built-in modes, as docker lists them: " + ls.out());

        Run inspect = network("inspect", "appnet");
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("\"Subnet\": \"10.124.0.0/24\""), inspect.out());
        assertTrue(inspect.out().contains("\"Gateway\": \"10.124.0.1\""), inspect.out());

        assertTrue(Files.exists(dir.resolve("root/networks/appnet.json")));
        Run rm = network("rm", "appnet");
        assertEquals(0, rm.code(), rm.err());
        assertEquals("appnet\n", rm.out());
        assertFalse(network("ls").out().contains("appnet"));
    }

    @Test
    void doctorSaysWhetherNftablesWorks() {
        DoctorCommand.Check c = DoctorCommand.nftables();
        assertEquals("nftables", c.name());
        assertEquals(DoctorCommand.Level.OK, c.level(), c.line()); // root, with nftables installed (.ci/install-packages)
        assertTrue(c.detail().contains("list tables"), c.line());
    }

    @Test
    void mistakesGetOneLineAndExit125Or1() {
        Run dup = network("create", "bridge");
        assertEquals(125, dup.code());
        assertEquals("mini: network with name bridge already exists\n", dup.err());
        Run badSubnet = network("create", "--subnet", "10.1.2.3/24", "x");
        assertEquals(125, badSubnet.code());
        assertTrue(badSubnet.err().startsWith("mini: invalid subnet 10.1.2.3/24: host bits are set"), badSubnet.err());
        Run reserved = network("create", "host");
        assertEquals(125, reserved.code());
        assertTrue(reserved.err().contains("reserved"), reserved.err());
        Run missing = network("inspect", "nope");
        assertEquals(125, missing.code());
        assertTrue(missing.err().startsWith("mini: network nope not found"), missing.err());
        Run predefined = network("rm", "bridge");
        assertEquals(1, predefined.code());
        assertEquals("mini: bridge is a pre-defined network and cannot be removed\n", predefined.err());
    }
}
