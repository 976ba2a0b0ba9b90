package dev.minidocker.container.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.boot.Cpio;

/** /.mini/run.conf as the guest's shell reads it: each argument and variable arrives unchanged. */
class GuestInitTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path tmp;

    /** Sources the file with busybox sh, as init does, and prints what it set. */
    private String source(String conf, String then) throws Exception {
        Privileged.require(Files.isExecutable(BUSYBOX), "needs busybox-static (apt-get install busybox-static)");
        Path file = Files.writeString(tmp.resolve("run.conf"), conf);
        Process sh = new ProcessBuilder(BUSYBOX.toString(), "sh", "-c", "B=" + BUSYBOX + "; . " + file + "; " + then)
                .redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor(), out);
        return out;
    }

    @Test
    void argumentsReachTheGuestShellUnexpanded() throws Exception {
        Path marker = tmp.resolve("expanded");
        List<String> args = List.of("sh", "-c", "echo it's \"quoted\"", "$(touch " + marker + ")", "a b\nc", "*", "");
        var p = new GuestInit.VmProcess(args, List.of("PATH=/bin"), "/", "h", 0, 0);
        String out = source(GuestInit.runConfig(p), "for a in \"$@\"; do printf '[%s]' \"$a\"; done");
        StringBuilder expected = new StringBuilder();
        args.forEach(a -> expected.append('[').append(a).append(']'));
        assertEquals(expected.toString(), out);
        assertFalse(Files.exists(marker), "nothing in an argument was run");
    }

    @Test
    void theCommandGetsExactlyTheContainersEnvironment() throws Exception {
        var p = new GuestInit.VmProcess(List.of("true"), List.of("PATH=/usr/bin:/bin", "GREETING=it's a 'test' $HOME"),
                "/work dir", "box-1", 1000, 1000);
        String conf = GuestInit.runConfig(p);
        String out = source(conf, "printf '%s|%s|%s|%s\\n' \"$MINI_HOSTNAME\" \"$MINI_CWD\" \"$MINI_USER\" \"$MINI_PATH\"; "
                + "mini_env " + BUSYBOX + " env");
        assertEquals(List.of("box-1|/work dir|1000:1000|/usr/bin:/bin", "PATH=/usr/bin:/bin", "GREETING=it's a 'test' $HOME"),
                out.lines().toList());
    }

    @Test
    void rootRunsWithoutAUserSwitch() {
        var p = new GuestInit.VmProcess(List.of("true"), List.of(), "/", "h", 0, 0);
        assertEquals(true, GuestInit.runConfig(p).contains("MINI_USER=''\n"));
        assertEquals(dev.minidocker.container.spec.SpecDefaults.PATH, p.path(), "docker's PATH when the env has none");
    }

    @Test
    void aNulByteIsRefusedRatherThanCutShort() {
        var p = new GuestInit.VmProcess(List.of("echo", "a\0b"), List.of(), "/", "h", 0, 0);
        assertThrows(IllegalArgumentException.class, () -> GuestInit.runConfig(p));
    }

    @Test
    void theRunArchiveHoldsOnlyTheConfig() throws Exception {
        var p = new GuestInit.VmProcess(List.of("true"), List.of(), "/", "h", 0, 0);
        Map<String, Cpio.Entry> tree = Cpio.tree(GuestInit.runArchive(p));
        assertEquals(List.of(".mini", ".mini/run.conf"), List.copyOf(tree.keySet()));
        assertEquals(GuestInit.runConfig(p), new String(tree.get(".mini/run.conf").data(), StandardCharsets.UTF_8));
    }
}
