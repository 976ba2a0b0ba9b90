package dev.minidocker.ch14;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.minidocker.container.net.NetNamespace;

/**
 * Runs an ordinary program (iproute2's {@code ip}, busybox's {@code wget} and {@code httpd}) in one
 * of the chapter's namespaces with {@code nsenter --net=PATH}, the way a process of a container sees
 * the network: only that namespace's links, addresses, routes and sockets.
 */
public final class Nsenter {
    public record Result(int exit, String out) {
    }

    public static final String BUSYBOX = "/bin/busybox";

    private Nsenter() {
    }

    public static List<String> command(NetNamespace ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + ns.path()));
        all.addAll(List.of(cmd));
        return all;
    }

    /** Runs cmd in ns and waits for it (at most 60 s); stdout and stderr together. */
    public static Result run(NetNamespace ns, String... cmd) {
        try {
            Process p = new ProcessBuilder(command(ns, cmd)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("still running after 60 s: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The output of a command that must succeed. */
    public static String out(NetNamespace ns, String... cmd) {
        Result r = run(ns, cmd);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.out().strip());
        }
        return r.out();
    }

    /** A server left running in ns (the caller destroys it). */
    public static Process start(NetNamespace ns, String... cmd) throws IOException {
        return new ProcessBuilder(command(ns, cmd)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** wget -qO- URL from ns, retried while the server is not listening yet (at most about 10 s). */
    public static Result fetch(NetNamespace ns, String url) {
        Result r = null;
        for (int i = 0; i < 50; i++) {
            r = run(ns, BUSYBOX, "wget", "-q", "-O", "-", url);   // (this busybox's wget -T crashes)
            if (r.exit() == 0 || !r.out().contains("refused")) {
                return r;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
        return r;
    }
}
