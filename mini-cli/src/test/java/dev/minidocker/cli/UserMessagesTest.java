package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/** What mini says for the smaller things users ran into: each is one line that says what is wrong or why it waits. */
class UserMessagesTest {
    private static MiniRoot store;

    @BeforeAll
    static void needsRoot() throws Exception {
        Privileged.requireRoot();
        store = new MiniRoot("mini-messages");
        assertEquals(0, store.mini("run", "--rm", "busybox", "true").code()); // makes the default image
    }

    @AfterAll
    static void removeEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void imagesColumnsStayAlignedWithLongNames() throws Exception {
        String longName = "registry.example.com:5000/a/rather/long/repository/name";
        assertEquals(0, store.mini("tag", "busybox", longName + ":a-long-tag-name").code());
        List<String> lines = store.mini("images").out().lines().toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        int tagColumn = lines.get(0).indexOf("TAG");
        int idColumn = lines.get(0).indexOf("IMAGE ID");
        for (String l : lines.subList(1, 3)) {
            assertEquals(' ', l.charAt(tagColumn - 1), "the TAG column starts at the same place: " + lines);
            assertTrue(l.substring(tagColumn).startsWith("latest") || l.substring(tagColumn).startsWith("a-long-tag-name"), l);
            assertTrue(l.substring(idColumn).matches("[0-9a-f]{12} .*"), "the IMAGE ID column starts at the same place: " + lines);
        }
        assertEquals(0, store.mini("rmi", longName + ":a-long-tag-name").code());
    }

    @Test
    void anInvalidReferenceNamesTheRuleItBreaks() throws Exception {
        MiniRoot.Run r = store.mini("run", "--rm", "UPPER:bad tag", "true");
        assertEquals(125, r.code());
        assertEquals("mini: invalid image name 'UPPER': use lower-case letters, digits, '.', '_', '-' and '/'\n", r.err());
        MiniRoot.Run tag = store.mini("run", "--rm", "lower:bad tag", "true");
        assertEquals("mini: invalid image tag 'bad tag': use letters, digits, '_', '.' and '-'\n", tag.err());
    }

    @Test
    void aWorkingDirectoryThatIsAFileSaysSo() throws Exception {
        MiniRoot.Run r = store.mini("run", "--rm", "-w", "/etc/passwd", "busybox", "true");
        assertEquals(125, r.code());
        assertEquals("mini: the working directory /etc/passwd is not a directory in the container\n", r.err());
    }

    @Test
    void rmiWaitingForAnotherWriterSaysSo() throws Exception {
        assertEquals(0, store.mini("tag", "busybox", "waits:here").code());
        Path err = Files.createTempFile(store.dir, "rmi", ".err");
        // the store's lock, held as a load that is still unpacking holds it
        try (FileChannel ch = FileChannel.open(store.dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            Process rmi = store.command("rmi", "waits:here").redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 400 && Files.readString(err).isEmpty(); i++) {
                Thread.sleep(25);
            }
            assertEquals("mini: another mini is changing the image store (a load, pull, build or rmi): waiting for it to finish\n",
                    Files.readString(err));
            assertTrue(rmi.isAlive(), "rmi waits while the lock is held");
            held.release();
            assertTrue(rmi.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, rmi.exitValue(), Files.readString(err));
        }
        assertTrue(store.mini("images").out().lines().noneMatch(l -> l.startsWith("waits ")), "untagged once the lock was free");
    }
}
