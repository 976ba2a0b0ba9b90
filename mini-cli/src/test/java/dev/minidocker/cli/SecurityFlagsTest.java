package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The flags as picocli parses them, and the image's User when -u is not given. */
class SecurityFlagsTest {
    private static SecurityFlags parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.security;
    }

    @Test
    void theImagesUserCountsUnlessDashUIsGiven() {
        assertEquals("app", parse("busybox").options("app").user());
        assertEquals("1000:1000", parse("-u", "1000:1000", "busybox").options("app").user());
        assertEquals("nobody", parse("--user", "nobody", "busybox").options("").user());
        assertNull(parse("busybox").options("").user());
    }

    @Test
    void repeatableFlagsCollectInOrder() {
        SecurityFlags f = parse("--cap-add", "NET_ADMIN", "--cap-add", "SYS_TIME", "--cap-drop", "ALL", "--group-add", "audio",
                "--security-opt", "no-new-privileges", "--privileged", "busybox", "sh");
        var o = f.options(null);
        assertEquals(List.of("NET_ADMIN", "SYS_TIME"), o.capAdd());
        assertEquals(List.of("ALL"), o.capDrop());
        assertEquals(List.of("audio"), o.groupAdd());
        assertEquals(List.of("no-new-privileges"), o.securityOpt());
        assertEquals(true, o.privileged());
    }
}
