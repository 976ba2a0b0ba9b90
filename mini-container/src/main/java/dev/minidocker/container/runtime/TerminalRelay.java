package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Pty;
import dev.minidocker.sys.UnixSocket;

/**
 * The engine's end of a container's terminal, for a foreground run with process.terminal and no
 * monitor of its own (what runc does for {@code runc run} without --console-socket): it listens
 * on a console socket, receives the pty's master, copies this process's stdin to it and its
 * output to stdout, and keeps the window size in step (SIGWINCH). While it runs, this terminal
 * is in raw mode, so that keys such as Ctrl-C reach the container's shell as bytes.
 */
public final class TerminalRelay implements AutoCloseable {
    private final Path dir;
    private final int listening;
    private final CompletableFuture<Integer> master = new CompletableFuture<>();
    private String savedMode;
    private Thread restore;
    private boolean closed;
    private Thread output;

    private TerminalRelay(Path dir, int listening) {
        this.dir = dir;
        this.listening = listening;
    }

    /** A console socket in a private directory; its path goes to create's --console-socket. */
    public static TerminalRelay listen() {
        try {
            Path dir = Files.createTempDirectory("mini-console");
            TerminalRelay r = new TerminalRelay(dir, UnixSocket.listen(dir.resolve("console.sock").toString()));
            Thread t = new Thread(() -> {
                try {
                    int conn = UnixSocket.accept(r.listening);
                    try {
                        int fd = UnixSocket.receiveFd(conn);
                        if (fd < 0) {
                            throw new IllegalStateException("the console socket closed without a terminal");
                        }
                        r.master.complete(fd);
                    } finally {
                        Native.libc().close(conn);
                    }
                } catch (RuntimeException e) {
                    r.master.completeExceptionally(e);
                }
            }, "console-socket");
            t.setDaemon(true);
            t.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a console socket: " + e.getMessage(), e);
        }
    }

    public String socketPath() {
        return dir.resolve("console.sock").toString();
    }

    // tag::relay[]
    /** After create: the master has arrived; copy both ways until the container's side closes. */
    public void start() {
        start(true);
    }

    /**
     * The same; without stdin (docker's -t without -i) nothing is sent to the container and this
     * terminal stays as it is. With stdin on a terminal, that terminal goes to raw mode (no echo,
     * no line editing, Ctrl-C a byte like any other: the container's own line discipline does all
     * that), and is given back on close, or by a shutdown hook if this JVM ends another way.
     */
    public void start(boolean stdin) {
        int fd = masterFd();
        if (stdin && Pty.isTerminal(0)) {
            savedMode = stty("-g").trim();
            restore = new Thread(() -> stty(savedMode), "terminal-restore");
            Runtime.getRuntime().addShutdownHook(restore);
            stty("raw", "-echo");
        }
        followWindowSize(fd);
        if (stdin) {
            Thread input = new Thread(() -> copy(System.in, fd), "terminal-in");
            input.setDaemon(true); // it may stay blocked reading our stdin after the container is gone
            input.start();
        }
        output = new Thread(() -> {
            byte[] buf = new byte[8192];
            long n;
            while ((n = Native.libc().read(fd, buf, buf.length)) > 0) { // EIO once the container's last slave closes
                System.out.write(buf, 0, (int) n);
                System.out.flush();
            }
        }, "terminal-out");
        output.start();
    }
    // end::relay[]

    /** Waits (briefly) for the last output, then gives the terminal back as it was. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (output != null) {
                output.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (savedMode != null) {
            stty(savedMode);
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException e) {
                // already shutting down: the hook restores it again, harmlessly
            }
        }
        Native.libc().close(listening);
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            // a temporary directory: not worth failing the run for
        }
    }

    private int masterFd() {
        try {
            return master.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "no terminal came over the console socket: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "interrupted");
        }
    }

    // tag::window-size[]
    /** The container's window is ours (our stdin's, else our stdout's): now, and after every SIGWINCH. */
    private static void followWindowSize(int masterFd) {
        int ours = Pty.isTerminal(0) ? 0 : Pty.isTerminal(1) ? 1 : -1;
        if (ours < 0) {
            return; // no terminal here: the container's keeps the size it was made with
        }
        Runnable copySize = () -> {
            int[] size = Pty.windowSize(ours);                       // TIOCGWINSZ on ours
            if (size != null && size[0] > 0 && size[1] > 0) {
                Pty.setWindowSize(masterFd, size[0], size[1]);      // TIOCSWINSZ on the master: the kernel
            }                                                       // sends SIGWINCH to the container's foreground group
        };
        copySize.run();
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> copySize.run());
    }
    // end::window-size[]

    /** Our terminal's size now, for process.consoleSize; null without a terminal. */
    public static int[] currentWindowSize() {
        int[] size = Pty.isTerminal(0) ? Pty.windowSize(0) : Pty.isTerminal(1) ? Pty.windowSize(1) : null;
        return size == null || size[0] <= 0 || size[1] <= 0 ? null : size;
    }

    private static void copy(InputStream in, int fd) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (Native.libc().write(fd, buf, n) < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // our stdin went away: nothing more to send
        }
    }

    /** stty(1) on our stdin (a terminal): the JDK has no call for terminal modes. */
    private static String stty(String... args) {
        try {
            ProcessBuilder pb = new ProcessBuilder(concat(args)).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<String> concat(String... args) {
        List<String> l = new java.util.ArrayList<>(List.of("stty"));
        l.addAll(List.of(args));
        return l;
    }
}
