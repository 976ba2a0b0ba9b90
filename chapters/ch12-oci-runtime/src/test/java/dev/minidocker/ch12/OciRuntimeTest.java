package dev.minidocker.ch12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ExecProcess;
import dev.minidocker.container.runtime.Status;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Privileged;
import dev.minidocker.sys.UnixSocket;

/** The chapter's claims about the OCI lifecycle, each observed from inside the container or by the caller. */
class OciRuntimeTest {
    private Path dir;
    private ContainerRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        Privileged.requireRoot();
        dir = Files.createTempDirectory("ch12-test");
        runtime = new ContainerRuntime(dir.resolve("state"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (var s : runtime.list()) {
            runtime.delete(s.id(), true);
        }
        FileTrees.delete(dir);
    }

    private ContainerRuntime.CreateOptions options(Path out, String consoleSocket) {
        return new ContainerRuntime.CreateOptions(null, consoleSocket, false, 0, true, Stdio.toFiles(out, out));
    }

    @Test
    void createLeavesTheProgramWaitingAndStartRunsIt() throws Exception {
        Path bundle = Bundles.make(dir.resolve("b"), false, "sh", "-c", "echo \"ran as PID $$\"");
        Path out = dir.resolve("out");
        Container c = runtime.create("waits", bundle, options(out, null));
        assertEquals(Status.CREATED, runtime.state("waits").status());
        Thread.sleep(300); // were the program running already, it would have printed by now
        assertEquals("", Files.readString(out), "the program ran before start");
        runtime.start("waits");
        c.awaitExec();
        assertEquals(0, c.await());
        assertEquals("ran as PID 1\n", Files.readString(out));
        assertEquals(Status.STOPPED, runtime.state("waits").status());
    }

    @Test
    void theTerminalArrivesOverTheConsoleSocket() throws Exception {
        Path bundle = Bundles.make(dir.resolve("b"), true, "sh", "-c", "echo tty=$(tty); stty size");
        Path socket = dir.resolve("console.sock");
        int listening = UnixSocket.listen(socket.toString());
        CompletableFuture<Integer> master = CompletableFuture.supplyAsync(() -> {
            int conn = UnixSocket.accept(listening);
            try {
                return UnixSocket.receiveFd(conn);   // what conmon or the shim would hold
            } finally {
                Native.libc().close(conn);
            }
        });
        Container c = runtime.create("tty", bundle, options(dir.resolve("out"), socket.toString()));
        int fd = master.get(30, TimeUnit.SECONDS);
        Native.libc().close(listening);
        assertTrue(fd > 2, "no descriptor came over the console socket");
        runtime.start("tty");
        c.awaitExec();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        long n;
        while ((n = Native.libc().read(fd, buf, buf.length)) > 0) { // EIO once the last slave is closed
            seen.write(buf, 0, (int) n);
        }
        Native.libc().close(fd);
        assertEquals(0, c.await());
        assertEquals("tty=/dev/pts/0\r\n24 80\r\n", seen.toString(), "the terminal's line discipline adds \\r");
    }

    @Test
    void execRunsInTheContainerAndNoJvmIsVisibleThere() throws Exception {
        Path bundle = Bundles.make(dir.resolve("b"), false, "sh", "-c",
                "while [ ! -e /dev/shm/done ]; do sleep 0.05; done; cat /dev/shm/seen");
        Path out = dir.resolve("out");
        Container c = runtime.create("execs", bundle, options(out, null));
        runtime.start("execs");
        c.awaitExec();
        ContainerSpec.Process p = runtime.spec("execs").process();
        ContainerSpec.Process exec = new ContainerSpec.Process(false, null, p.user(),
                List.of("sh", "-c", "echo \"exec is PID $$\" > /dev/shm/seen; ps -o comm >> /dev/shm/seen; touch /dev/shm/done"),
                p.env(), "/", null, null, null, null, null, null);
        ExecProcess e = runtime.exec("execs", exec, null, false);
        assertEquals(0, e.await());
        assertEquals(0, c.await());
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.get(0).matches("exec is PID [0-9]+"), lines.toString());
        List<String> commands = lines.subList(1, lines.size());
        assertEquals("COMMAND", commands.get(0));
        assertEquals("sh", commands.get(1), "PID 1 is the container's own shell: " + commands);
        assertTrue(commands.contains("ps"), commands.toString());
        assertTrue(commands.stream().noneMatch(l -> l.contains("java")), "a JVM is visible in the container: " + commands);
    }
}
