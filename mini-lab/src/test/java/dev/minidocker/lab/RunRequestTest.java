package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRequestTest {
    @TempDir
    Path dir;

    @Test
    void theCommandScriptRunsTheExactWordsInTheDirectory() throws Exception {
        Path checkout = Files.createDirectory(dir.resolve("check out's"));
        List<String> command = List.of("sh", "-c", "pwd; printf '<%s>\\n' \"$@\"", "arg0", "two words", "it's", "$HOME", "*");
        RunRequest request = new RunRequest("00112233aabbccdd", CgroupMode.V2, checkout, command, Map.of("PATH", "/usr/bin:/bin"));
        String output = runScript(request.commandScript());
        assertEquals(checkout + "\n<two words>\n<it's>\n<$HOME>\n<*>\n", output);
    }

    @Test
    void theCommandSeesOnlyTheGuestEnvironment() throws Exception {
        Map<String, String> env = RunRequest.guestEnvironment(Map.of(
                "MINI_HOME", "/work/mini", "JAVA_HOME", "/usr/lib/jvm/java-17", "SECRET_TOKEN", "x", "HOME", "/home/me"));
        assertEquals("/work/mini", env.get("MINI_HOME"));
        assertEquals("/usr/lib/jvm/java-17", env.get("JAVA_HOME"));
        assertEquals("/root", env.get("HOME"));
        assertEquals("1", env.get("MINI_LAB"));
        assertFalse(env.containsKey("SECRET_TOKEN"));

        RunRequest request = new RunRequest("00112233aabbccdd", CgroupMode.V2, dir, List.of("env"), env);
        List<String> seen = runScript(request.commandScript()).lines().sorted().toList();
        List<String> expected = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        assertEquals(expected, seen);
    }

    @Test
    void aMissingDirectoryIsALabFailureNotTheCommands() throws Exception {
        RunRequest request = new RunRequest("00112233aabbccdd", CgroupMode.V2, dir.resolve("gone"), List.of("true"), Map.of());
        Path script = Files.writeString(dir.resolve("command"), request.commandScript());
        Process sh = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true).start();
        String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(125, sh.waitFor());
        assertTrue(output.contains("mini-lab guest: no directory"), output);
    }

    @Test
    void runConfNamesTheNonceAndTheCgroupLayout() {
        RunRequest request = new RunRequest("00112233aabbccdd", CgroupMode.HYBRID, dir, List.of("true"), Map.of());
        assertEquals("LAB_NONCE=00112233aabbccdd\nLAB_CGROUP=hybrid\nLAB_SCRATCH=''\nLAB_CHECKOUT='" + dir + "'\n",
                request.runConf());
    }

    @Test
    void anInteractiveRunTellsTheGuestItsTerminalSize() {
        RunRequest request = new RunRequest("00112233aabbccdd", CgroupMode.V2, dir, List.of("sh"), Map.of())
                .interactive(new RunRequest.Terminal(30, 100));
        assertTrue(request.runConf().endsWith("LAB_INTERACTIVE=1\nLAB_ROWS=30\nLAB_COLUMNS=100\n"), request.runConf());
    }

    @Test
    void everyRunGetsItsOwnNonce() {
        RunRequest a = RunRequest.of(CgroupMode.V2, dir, List.of("true"), Map.of());
        RunRequest b = RunRequest.of(CgroupMode.V2, dir, List.of("true"), Map.of());
        assertNotEquals(a.nonce(), b.nonce());
        assertEquals(16, a.nonce().length());
    }

    private String runScript(String script) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("command"), script);
        Process sh = new ProcessBuilder("sh", file.toString()).start();
        String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(sh.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor(), errors);
        return output;
    }
}
