package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/**
 * What the monitor keeps of a detached container's output, as {@code mini logs} shows it: all of
 * it (200 MB, every byte), what comes after {@code logs -f} started, and no more than
 * {@code --log-opt max-size} on disk.
 */
class ContainerLogsTest {
    private static final String LINE = "abcdefghijklmnopqrstuvwxyz0123456789\n";
    private static final long BYTES = 200_000_000L;
    private static MiniRoot store;

    @BeforeAll
    static void needsRootAndConmon() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/conmon")), "conmon is not installed (apt-get install conmon)");
        store = new MiniRoot("mini-logs");
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    /** Bytes and SHA-256 of what a process wrote on its stdout. */
    record Seen(long bytes, String sha256) {
        static Seen of(InputStream in) throws Exception {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
                total += n;
            }
            return new Seen(total, HexFormat.of().formatHex(d.digest()));
        }
    }

    /** What `yes LINE | head -c BYTES` writes. */
    private static Seen expected() throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] line = LINE.getBytes(StandardCharsets.US_ASCII);
        long left = BYTES;
        while (left > 0) {
            int n = (int) Math.min(line.length, left);
            d.update(line, 0, n);
            left -= n;
        }
        return new Seen(BYTES, HexFormat.of().formatHex(d.digest()));
    }

    @Test
    void twoHundredMegabytesAreAllInTheLogAndLogsFollowSeesThemAll() throws Exception {
        MiniRoot.Run run = store.mini("run", "-d", "--name", "logs-big", "busybox", "sh", "-c",
                "yes " + LINE.strip() + " | head -c " + BYTES);
        assertEquals(0, run.code(), run.err());
        // logs -f started while it writes: it prints what is there, follows the rest, and ends when the container does
        Process follow = store.command("logs", "-f", "logs-big").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<Seen> followed = CompletableFuture.supplyAsync(() -> {
            try {
                return Seen.of(follow.getInputStream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("0\n", store.mini("wait", "logs-big").out());
        assertTrue(follow.waitFor(120, TimeUnit.SECONDS), "logs -f did not end with the container");
        Seen want = expected();
        assertEquals(want, followed.get(), "logs -f: every byte, in order");
        Process all = store.command("logs", "logs-big").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(want, Seen.of(all.getInputStream()), "logs afterwards: every byte, in order");
        assertEquals(0, all.waitFor());
        // logs | head: the reader goes after a few bytes; logs ends quietly, as cat would
        Path err = Files.createTempFile(store.dir, "head", ".err");
        Process head = store.command("logs", "logs-big").redirectError(err.toFile()).start();
        assertEquals(LINE, new String(head.getInputStream().readNBytes(LINE.length()), StandardCharsets.US_ASCII));
        head.getInputStream().close();
        assertTrue(head.waitFor(60, TimeUnit.SECONDS));
        assertEquals("", Files.readString(err), "nothing to say when the reader has gone");
        assertEquals(0, head.exitValue());
        assertEquals(0, store.mini("rm", "logs-big").code());
    }

    @Test
    void logsFollowPrintsWhatIsWrittenAfterItStartedAndEndsWithTheContainer() throws Exception {
        assertEquals(0, store.mini("run", "-d", "--name", "logs-f", "busybox", "sh", "-c",
                "echo before; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo after; echo on-stderr >&2; sleep 0.3; echo last").code());
        Path out = Files.createTempFile(store.dir, "follow", ".txt");
        Path err = Files.createTempFile(store.dir, "follow", ".err");
        Process follow = store.command("logs", "-f", "logs-f").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        for (int i = 0; i < 400 && !Files.readString(out).equals("before\n"); i++) {
            Thread.sleep(25);
        }
        assertEquals("before\n", Files.readString(out), "what was written before logs -f started");
        assertTrue(follow.isAlive(), "logs -f waits for more while the container runs");
        assertEquals(0, store.mini("exec", "logs-f", "touch", "/tmp/go").code());
        assertTrue(follow.waitFor(60, TimeUnit.SECONDS), "logs -f did not end when the container did");
        assertEquals(0, follow.exitValue());
        assertEquals("before\nafter\nlast\n", Files.readString(out));
        assertEquals("on-stderr\n", Files.readString(err), "stderr followed on stderr");
        assertEquals(0, store.mini("rm", "logs-f").code());
    }

    @Test
    void maxSizeBoundsTheLogFile() throws Exception {
        MiniRoot.Run run = store.mini("run", "-d", "--name", "logs-max", "--log-opt", "max-size=64k", "busybox", "seq", "1", "200000");
        assertEquals(0, run.code(), run.err());
        assertEquals("0\n", store.mini("wait", "logs-max").out());
        Path log = store.dir.resolve("containers").resolve(run.out().trim()).resolve("ctr.log");
        long size = Files.size(log);
        assertTrue(size > 0 && size <= 64 * 1024, "the log file is bounded by max-size: " + size + " bytes");
        String logs = store.mini("logs", "logs-max").out();
        assertTrue(logs.endsWith("199999\n200000\n"), "the newest lines are kept: ..." + logs.substring(Math.max(0, logs.length() - 40)));
        assertTrue(logs.length() < 64 * 1024, "the oldest are gone: " + logs.length() + " bytes shown");
        assertEquals(0, store.mini("rm", "logs-max").code());
    }
}
