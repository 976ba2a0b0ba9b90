package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/**
 * {@code mini run -it} and {@code mini exec -it} as a user at a terminal has them: mini runs under
 * script(1), which gives it a terminal of its own, and the test types into that terminal and reads
 * what it shows. What the shell inside sees (its tty, its window size, its job control) and what
 * the user sees (Ctrl-C, the exit status, the terminal given back as it was) are both asserted.
 */
class TerminalTest {
    private static final Path PROJECT = MiniRoot.PROJECT;
    private static final Pattern JOB = Pattern.compile("job pg=(\\d+) tpgid=(\\d+) sid=(\\d+) self=(\\d+) shell=(\\d+)");
    private static MiniRoot store;
    private static Path root;

    @BeforeAll
    static void needsRootAndScript() throws IOException {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed (apt-get install bsdutils)");
        store = new MiniRoot("mini-terminal");
        root = store.dir;
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    /** A terminal session: script(1) running a shell command line, its screen collected as it comes. */
    static final class Session implements AutoCloseable {
        private final Process script;
        private final OutputStream keys;
        private final StringBuffer screen = new StringBuffer();
        private final Path outer;
        private int markers;

        Session(String commandLine) throws IOException {
            outer = Files.createTempFile(root, "outer", ".tty");
            // the outer terminal's name (to resize it), a known size, its mode before and after mini
            String line = "tty > " + outer + "; stty rows 30 cols 90; stty -g > " + outer + ".before; " + commandLine
                    + "; rc=$?; stty -g > " + outer + ".after; exit $rc";
            ProcessBuilder pb = new ProcessBuilder("script", "-qefc", line, "/dev/null").redirectErrorStream(true);
            env(pb);
            script = pb.start();
            keys = script.getOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (InputStream in = script.getInputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // script ended
                }
            }, "screen");
            reader.setDaemon(true);
            reader.start();
        }

        /** Types a line, then waits until what it printed is on the screen; returns that output. */
        String type(String line) throws Exception {
            String marker = "done-" + (++markers);
            // the marker is typed split in two (the terminal echoes what is typed; only the shell joins it)
            String m1 = marker.substring(0, 3);
            String m2 = marker.substring(3);
            int from = screen.length();
            send(line + "; echo " + m1 + "''" + m2 + "\n");
            await(marker + "\r\n", from);
            String shown = screen.substring(from);
            return shown.substring(0, shown.lastIndexOf(marker + "\r\n"));
        }

        void send(String keys) throws IOException {
            this.keys.write(keys.getBytes(StandardCharsets.UTF_8));
            this.keys.flush();
        }

        void await(String text, int from) throws InterruptedException {
            for (int i = 0; i < 600 && screen.indexOf(text, from) < 0; i++) {
                Thread.sleep(50);
            }
            assertTrue(screen.indexOf(text, from) >= 0, "\"" + text + "\" never showed; the screen:\n" + screen);
        }

        /** The user's terminal is resized: as a terminal emulator does, TIOCSWINSZ on it (the kernel sends SIGWINCH). */
        void resize(int rows, int cols) throws Exception {
            String tty = Files.readString(outer).trim();
            assertEquals(0, new ProcessBuilder("stty", "-F", tty, "rows", Integer.toString(rows), "cols", Integer.toString(cols))
                    .start().waitFor());
        }

        int exitCode() throws InterruptedException {
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), "the session did not end; the screen:\n" + screen);
            return script.exitValue();
        }

        String modeBefore() throws IOException {
            return Files.readString(Path.of(outer + ".before"));
        }

        String modeAfter() throws IOException {
            return Files.readString(Path.of(outer + ".after"));
        }

        String screen() {
            return screen.toString();
        }

        @Override
        public void close() {
            script.destroyForcibly();
        }
    }

    static void env(ProcessBuilder pb) {
        store.env(pb);
    }

    static MiniRoot.Run mini(String... args) throws IOException, InterruptedException {
        return store.mini(args);
    }

    /** What every interactive shell on a pty must show, whether run made it or exec. */
    private static void isAnInteractiveShellWithJobControl(Session s, int shellPid) throws Exception {
        String tty = s.type("tty");
        assertTrue(tty.matches("(?s).*\r\n/dev/pts/\\d+\r\n"), "tty inside names a pty of the container: " + tty);
        assertTrue(s.type("stty size").endsWith("\r\n30 90\r\n"), "the pty has the size of the user's terminal");

        s.resize(33, 77);
        String size = "";
        for (int i = 0; i < 100 && !size.endsWith("\r\n33 77\r\n"); i++) {
            Thread.sleep(50); // mini's SIGWINCH handler copies the new size to the container's pty
            size = s.type("stty size");
        }
        assertTrue(size.endsWith("\r\n33 77\r\n"), "the window size followed the terminal: " + size);

        // job control: a command runs as its own process group, the terminal's foreground group, in the shell's session
        String job = s.type("sh -c 'read -r a b c d pg sid tty tpgid rest < /proc/self/stat;"
                + " echo \"job pg=$pg tpgid=$tpgid sid=$sid self=$$ shell=$PPID\"'");
        Matcher m = JOB.matcher(job);
        assertTrue(m.find(), job);
        assertEquals(m.group(4), m.group(1), "the job leads its own process group: " + job);
        assertEquals(m.group(4), m.group(2), "the job's group is the terminal's foreground group: " + job);
        assertEquals(m.group(5), m.group(3), "the job is in the shell's session (the shell leads it): " + job);
        assertEquals(Integer.toString(shellPid), m.group(5), job);

        // Ctrl-C reaches the shell's foreground job through the pty (mini's terminal is raw: it is a byte), the shell lives on
        int from = s.screen().length();
        s.send("echo sle''eping; sleep 30\n");
        s.await("sleeping\r\n", from);
        Thread.sleep(200);
        long t0 = System.nanoTime();
        s.send("\u0003");
        assertTrue(s.type("echo alive $?").endsWith("alive 130\r\n"), "sleep ended by SIGINT (128+2), the shell answers");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(25), "the sleep was interrupted, not waited out");
        s.send("exit 3\n");
    }

    @Test
    void runItIsAnInteractiveShellOnAPtyAndItsExitIsMinis() throws Exception {
        try (Session s = new Session(PROJECT.resolve("mini") + " run -it --rm busybox sh")) {
            isAnInteractiveShellWithJobControl(s, 1);
            assertEquals(3, s.exitCode(), "mini exits with the shell's status; the screen:\n" + s.screen());
            assertEquals(s.modeBefore(), s.modeAfter(), "mini gave the terminal back in the mode it found it");
        }
    }

    @Test
    void execItIsAnInteractiveShellOnAPtyOfItsOwnAndNoJvmIsVisible() throws Exception {
        assertEquals(0, mini("run", "-d", "--name", "tty-exec", "busybox", "sleep", "300").code());
        try (Session s = new Session(PROJECT.resolve("mini") + " exec -it tty-exec sh")) {
            String pid = s.type("echo $$");
            int shellPid = Integer.parseInt(pid.substring(pid.lastIndexOf("\r\n", pid.length() - 3) + 2).trim());
            assertTrue(shellPid > 1, "the exec'd shell is not the container's PID 1: " + pid);
            String exes = s.type("for p in /proc/[0-9]*; do readlink $p/exe; done");
            assertTrue(exes.contains("/bin/busybox"), exes);
            assertFalse(exes.contains("java"), "a JVM is visible in the container: " + exes);
            isAnInteractiveShellWithJobControl(s, shellPid);
            assertEquals(3, s.exitCode(), "mini exec exits with the shell's status; the screen:\n" + s.screen());
            assertEquals(s.modeBefore(), s.modeAfter(), "mini gave the terminal back in the mode it found it");
            assertEquals("gone\n", mini("exec", "tty-exec", "sh", "-c", "[ -e /proc/" + shellPid + " ] && echo there || echo gone").out(),
                    "the exec'd shell was reaped");
        }
        assertEquals(0, mini("rm", "-f", "tty-exec").code());
    }

    @Test
    void withoutATerminalItIsDockersError() throws Exception {
        MiniRoot.Run it = mini("run", "-it", "--rm", "busybox", "sh");
        assertEquals(1, it.code());
        assertEquals("mini: the input device is not a TTY\n", it.err());
        // -t alone needs no terminal here: the command still gets a pty, and its output comes through
        MiniRoot.Run t = mini("run", "-t", "--rm", "busybox", "sh", "-c", "tty; exit 4");
        assertEquals(4, t.code(), t.err());
        assertTrue(t.out().matches("/dev/pts/\\d+\r\n"), t.out());
        MiniRoot.Run plain = mini("run", "--rm", "busybox", "sh", "-c", "tty; read x || echo no-stdin");
        assertEquals("not a tty\nno-stdin\n", plain.out(), "without -t no pty, without -i no stdin");
        assertEquals(0, mini("run", "-d", "--name", "tty-none", "busybox", "sleep", "60").code());
        MiniRoot.Run exec = mini("exec", "-it", "tty-none", "sh");
        assertEquals(1, exec.code());
        assertEquals("mini: the input device is not a TTY\n", exec.err());
        MiniRoot.Run execT = mini("exec", "-t", "tty-none", "tty");
        assertTrue(execT.out().matches("/dev/pts/\\d+\r\n"), execT.out() + execT.err());
        assertEquals(0, mini("rm", "-f", "tty-none").code());
    }

    @Test
    void detachedWithATerminalTheMonitorHoldsThePty() throws Exception {
        MiniRoot.Run run = mini("run", "-d", "-t", "--name", "tty-d", "busybox", "sh", "-c", "tty; echo to-stderr >&2; exit 5");
        assertEquals(0, run.code(), run.err());
        assertEquals("5\n", mini("wait", "tty-d").out());
        // one terminal for both streams, as docker's -t: conmon logs what it reads from the master
        assertTrue(mini("logs", "tty-d").out().matches("/dev/pts/\\d+\r\nto-stderr\r\n"), mini("logs", "tty-d").out());
        assertEquals(0, mini("rm", "tty-d").code());
        // -dit: an interactive shell on its pty stays up, its stdin held open by the monitor
        assertEquals(0, mini("run", "-dit", "--name", "tty-dit", "busybox", "sh").code());
        Thread.sleep(500);
        assertTrue(mini("ps").out().lines().anyMatch(l -> l.endsWith("  tty-dit") && l.contains(" Up ")), mini("ps").out());
        assertEquals("/dev/pts/0\n", mini("exec", "tty-dit", "readlink", "/proc/1/fd/0").out());
        assertEquals(0, mini("rm", "-f", "tty-dit").code());
        MiniRoot.Run di = mini("run", "-d", "-i", "busybox", "sh");
        assertEquals(125, di.code());
        assertEquals("mini: -d -i without -t is not supported yet (there is no 'mini attach'): use -dit or -d\n", di.err());
    }
}
