package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** mini run --isolation vm: the flags it takes, and the ones it refuses by name rather than dropping. */
class VmIsolationFlagsTest {
    private static RunCommand parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run;
    }

    private static String refusal(String... args) {
        Cli.CliError e = assertThrows(Cli.CliError.class, () -> VmIsolation.refuseUnsupported(parse(args)));
        assertEquals(Cli.RUNTIME_ERROR, e.exitCode);
        return e.getMessage();
    }

    @Test
    void theIssuesFlagsAreTaken() {
        assertDoesNotThrow(() -> VmIsolation.refuseUnsupported(parse("--isolation", "vm", "--memory", "256m", "--cpus", "1",
                "-e", "K=V", "-w", "/data", "--hostname", "h", "--kernel", "/boot/vmlinuz", "--stats-on-exit", "--rm",
                "--network", "none", "busybox", "sh")));
    }

    @Test
    void flagsThatHaveNoMeaningAcrossTheVmBoundaryYetAreRefusedByName() {
        assertTrue(refusal("--isolation", "vm", "-p", "8080:80", "busybox").contains("-p"));
        assertTrue(refusal("--isolation", "vm", "-v", "/tmp:/tmp", "busybox").contains("-v/--mount/--tmpfs"));
        assertTrue(refusal("--isolation", "vm", "-d", "busybox").contains("-d"));
        assertTrue(refusal("--isolation", "vm", "--network", "bridge", "busybox").contains("--network bridge"));
        assertTrue(refusal("--isolation", "vm", "--cap-add", "NET_ADMIN", "busybox").contains("--cap-add"));
        assertTrue(refusal("--isolation", "vm", "--name", "x", "busybox").startsWith("--isolation vm does not support --name"));
    }

    @Test
    void memoryIsTheGuestsRam() {
        assertEquals(256L << 20, VmIsolation.memory(null));
        assertEquals(512L << 20, VmIsolation.memory("512m"));
        assertTrue(assertThrows(Cli.CliError.class, () -> VmIsolation.memory("16m")).getMessage().contains("at least 64m"));
    }
}
