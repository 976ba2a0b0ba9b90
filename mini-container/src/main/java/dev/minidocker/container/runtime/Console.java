package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.MountFlags;
import dev.minidocker.sys.Pty;
import dev.minidocker.sys.Syscalls;
import dev.minidocker.sys.UnixSocket;

/**
 * process.terminal: the container's standard streams are a pseudo-terminal of its own devpts
 * instance. The init stage opens the master, sends it over the console socket (SCM_RIGHTS) to
 * whoever holds the other end of the terminal (conmon, containerd's shim), and makes the slave
 * its controlling terminal, its stdin, stdout and stderr, and /dev/console.
 */
final class Console {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;

    private Console() {
    }

    // tag::console[]
    static void setUp(Path root, String consoleSocket, ContainerSpec.ConsoleSize size) {
        if (consoleSocket == null) {
            throw new IllegalStateException("process.terminal is true but no console socket was given: pass --console-socket");
        }
        Pty.Master master = Pty.open(root.resolve("dev/pts/ptmx").toString());
        Path slavePath = root.resolve("dev/pts/" + master.number());
        int slave = Syscalls.open(slavePath.toString(), O_RDWR | O_NOCTTY);
        if (size != null && size.height() > 0 && size.width() > 0) {
            Pty.setWindowSize(master.fd(), size.height(), size.width());
        }
        int socket = UnixSocket.connect(consoleSocket);
        UnixSocket.sendFd(socket, master.fd(), "/dev/pts/" + master.number());
        Syscalls.close(socket);
        Syscalls.close(master.fd());            // the engine's monitor holds the master now
        Syscalls.setsid();                      // a new session, so the slave can become its terminal
        Pty.makeControlling(slave);
        for (int fd = 0; fd <= 2; fd++) {
            Syscalls.dup2(slave, fd);
        }
        if (slave > 2) {
            Syscalls.close(slave);
        }
        Path console = root.resolve("dev/console");
        try {
            if (!Files.exists(console)) {
                Files.createFile(console);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + console + ": " + e.getMessage(), e);
        }
        Syscalls.mount(slavePath.toString(), console.toString(), null, MountFlags.MS_BIND, null);
    }
    // end::console[]
}
