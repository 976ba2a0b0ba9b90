package dev.minidocker.ch13;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.chapter.Demos;
import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ExecProcess;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Privileged;
import dev.minidocker.sys.UnixSocket;

/**
 * The chapter's claims: a subreaper adopts orphans and learns how they ended; setns into a mount
 * namespace needs a thread of its own fs_struct; exec lands in PID 1's namespaces with no JVM
 * visible inside; exec with a terminal gets a pty of the container's devpts, as its controlling
 * terminal in a session it leads. Each is observed from inside the container or from the process.
 */
class LifeOfAContainerTest {
    @BeforeEach
    void needsRoot() {
        Privileged.requireRoot();
    }

    @Test
    void aSubreaperAdoptsTheOrphansOfItsDescendantsAndReapsThem() throws Exception {
        Subreaper.Orphan kept = Subreaper.orphan(true);
        assertEquals(Native.libc().getpid(), kept.adoptedBy(), "the orphan's parent is this process");
        assertEquals(0, kept.exitCode(), "and its exit status was ours to read");
        Subreaper.Orphan lost = Subreaper.orphan(false);
        assertNotEquals(Native.libc().getpid(), lost.adoptedBy(), "without, it went further up (init, or a subreaper above us)");
        assertNull(lost.exitCode());
    }

    /** Runs body while a busybox container runs `sh -c script`, with the container and its runtime. */
    private static void whileRunning(String script, Body body) {
        OneShot box = Demos.container("sh", "-c", script);
        box.hostname = "ch13-box";
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        box.run((c, out) -> {
            try {
                for (int i = 0; i < 200 && !Files.readString(out).contains("ready"); i++) {
                    Thread.sleep(25);
                }
                body.run(c, new ContainerRuntime(ForegroundRun.runtimeRoot(Demos.root())));
                failed.complete(null);
            } catch (Throwable t) {
                failed.complete(t);
            } finally {
                c.kill(9);
            }
        });
        Throwable t = failed.join();
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new AssertionError(t.getMessage(), t);
        }
    }

    interface Body {
        void run(Container c, ContainerRuntime runtime) throws Exception;
    }

    @Test
    void setnsIntoAMountNamespaceNeedsAThreadWithItsOwnFsStruct() {
        whileRunning("echo made inside > /tmp/marker; echo ready; exec sleep 60", (c, runtime) -> {
            MountJoin.Attempt shared = MountJoin.join(c.pid(), false, "/tmp/marker");
            assertEquals("EINVAL", shared.error(), "a thread sharing its fs_struct with the JVM's others may not join");
            MountJoin.Attempt own = MountJoin.join(c.pid(), true, "/tmp/marker");
            assertNull(own.error());
            assertEquals("made inside\n", own.read(), "after unshare(CLONE_FS) the thread sees the container's files");
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/" + c.pid() + "/ns/mnt")),
                    Files.readSymbolicLink(Path.of("/proc/thread-self/ns/mnt")), "the JVM's other threads stayed in the host's mount namespace");
        });
    }

    private static ContainerSpec.Process process(ContainerRuntime runtime, String id, boolean terminal, String... args) {
        ContainerSpec.Process base = runtime.spec(id).process();
        return new ContainerSpec.Process(terminal, terminal ? new ContainerSpec.ConsoleSize(30, 100) : null, base.user(), List.of(args),
                base.env(), "/", base.capabilities(), base.rlimits(), base.noNewPrivileges(), base.apparmorProfile(),
                base.oomScoreAdj(), base.selinuxLabel());
    }

    @Test
    void execJoinsPid1sNamespacesAndNoJvmIsVisibleInside() {
        whileRunning("echo ready; exec sleep 60", (c, runtime) -> {
            ContainerSpec.Process p = process(runtime, c.id(), false, "sh", "-c",
                    "for ns in mnt pid uts ipc net; do [ $(readlink /proc/self/ns/$ns) = $(readlink /proc/1/ns/$ns) ] && echo same $ns;"
                            + " done > /tmp/same; hostname >> /tmp/same; for p in /proc/[0-9]*; do readlink $p/exe; done > /tmp/exes");
            ExecProcess e = runtime.exec(c.id(), p, null, false, false);
            assertEquals(0, e.await());
            // what it wrote is in the container's /tmp: read there by a thread that joins its mount namespace
            assertEquals("same mnt\nsame pid\nsame uts\nsame ipc\nsame net\nch13-box\n", MountJoin.join(c.pid(), true, "/tmp/same").read());
            String exes = MountJoin.join(c.pid(), true, "/tmp/exes").read();
            assertTrue(exes.contains("/bin/busybox"), exes);
            assertFalse(exes.contains("java"), "a JVM is visible in the container: " + exes);
        });
    }

    @Test
    void execWithATerminalLeadsASessionOnAPtyOfTheContainersDevpts() {
        whileRunning("echo ready; exec sleep 60", (c, runtime) -> {
            Path dir = Files.createTempDirectory("ch13-console");
            Path socket = dir.resolve("console.sock");
            int listening = UnixSocket.listen(socket.toString());
            CompletableFuture<Integer> master = CompletableFuture.supplyAsync(() -> {
                int conn = UnixSocket.accept(listening);
                try {
                    return UnixSocket.receiveFd(conn);       // what mini's relay, or conmon, holds
                } finally {
                    Native.libc().close(conn);
                }
            });
            try {
                ContainerSpec.Process p = process(runtime, c.id(), true, "sh", "-c",
                        "tty; stty size; read -r a b c d pg sid tty tpgid rest < /proc/self/stat;"
                                + " echo \"self=$$ sid=$sid tpgid=$tpgid\"; [ -e /proc/self/fd/0 ] && readlink /proc/self/fd/2");
                ExecProcess e = runtime.exec(c.id(), p, null, false, false, socket.toString());
                int fd = master.get(30, TimeUnit.SECONDS);
                assertTrue(fd >= 0, "the master came over the console socket");
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                long n;
                while ((n = Native.libc().read(fd, buf, buf.length)) > 0) { // EIO once the last slave is closed
                    seen.write(buf, 0, (int) n);
                }
                Native.libc().close(fd);
                assertEquals(0, e.await());
                String out = seen.toString().replace("\r\n", "\n");
                Matcher m = Pattern.compile("(/dev/pts/\\d+)\n30 100\nself=(\\d+) sid=(\\d+) tpgid=(\\d+)\n(/dev/pts/\\d+)\n").matcher(out);
                assertTrue(m.matches(), "a pty of the container, the size asked for, a session of its own: " + out);
                assertEquals(m.group(2), m.group(3), "the process leads its session");
                assertEquals(m.group(2), m.group(4), "its group is the terminal's foreground group: it is its controlling terminal");
                assertEquals(m.group(1), m.group(5), "stderr is the same pty");
            } finally {
                Native.libc().close(listening);
                Files.deleteIfExists(socket);
                Files.deleteIfExists(dir);
            }
        });
    }
}
