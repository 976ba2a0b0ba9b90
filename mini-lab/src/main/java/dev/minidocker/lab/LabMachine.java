package dev.minidocker.lab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots the lab guest under qemu with TCG (instruction translation, no host KVM needed; -cpu max
 * gives the guest AMD's svm, so its own KVM is hardware-style), without any network device,
 * with the host's root shared read-only over 9p, and runs one {@link RunRequest}.
 */
public final class LabMachine {
    /** Exit status when the command did not finish in time (like timeout(1)). */
    public static final int TIMED_OUT = 124;
    /** Exit status when Ctrl-C or a kill stopped the lab (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;
    /** Exit status when the lab failed, not the command (like docker's 125). */
    public static final int LAB_FAILED = 125;

    private final LabImage image;
    private final LabOptions options;
    // when qemu started, when the command started and ended in the guest (System.nanoTime)
    private volatile long bootedAt;
    private volatile long startedAt;
    private volatile long endedAt;
    // set when this JVM is being stopped (Ctrl-C, kill) and has stopped qemu itself
    private volatile boolean interrupted;

    public LabMachine(LabImage image, LabOptions options) {
        this.image = image;
        this.options = options;
    }

    /** qemu's command line for an initrd holding the cached initramfs plus the run's archive. */
    public List<String> qemuCommand(Path qemu, Path initrd) {
        List<String> append = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "mitigations=off"));
        append.add(options.verbose() ? "printk.time=1" : "quiet");
        append.addAll(options.cgroup().kernelParameters());
        return List.of(qemu.toString(),
                "-accel", "tcg", "-cpu", "max", "-smp", Integer.toString(options.cpus()), "-m", Integer.toString(options.memoryMiB()),
                "-nographic", "-no-reboot", "-nic", "none",
                "-kernel", image.kernel().toString(),
                "-initrd", initrd.toString(),
                "-append", String.join(" ", append),
                "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap");
    }

    /**
     * Boots, streams the command's output to {@code out} and returns its exit status;
     * the lab's own messages go to {@code err}.
     */
    public int run(RunRequest request, Path workDir, PrintStream out, PrintStream err) {
        Path qemu = Tools.require("qemu-system-x86_64", "qemu-system-x86");
        Path initrd = workDir.resolve("initrd-" + request.nonce() + ".img");
        Process process = null;
        try {
            Files.createDirectories(workDir);
            removeStaleInitrds(workDir);
            writeInitrd(request, initrd);
            ProcessBuilder builder = new ProcessBuilder(qemuCommand(qemu, initrd));
            // interactive: qemu puts the terminal in raw mode and passes keys to the serial port
            builder.redirectInput(options.interactive() ? ProcessBuilder.Redirect.INHERIT
                    : ProcessBuilder.Redirect.from(new File("/dev/null")));
            bootedAt = System.nanoTime();
            process = builder.start();
            Process started = process;
            Thread hook = new Thread(() -> {
                interrupted = true;
                stop(started);
            }, "mini-lab-stop-qemu");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                int status = supervise(started, request, out, err);
                if (options.stats()) {
                    printStats(err);
                }
                return status;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down (Ctrl-C): the hook has stopped qemu
                }
            }
        } catch (IOException e) {
            err.println("mini lab: cannot start qemu: " + e.getMessage());
            return LAB_FAILED;
        } finally {
            if (process != null && process.isAlive()) {
                stop(process);
            }
            try {
                Files.deleteIfExists(initrd);
            } catch (IOException e) {
                // a stale per-run initrd is harmless
            }
        }
    }

    /** SIGTERM first: qemu then restores the terminal it put in raw mode; SIGKILL if it lingers. */
    private static void stop(Process qemu) {
        qemu.destroy();
        try {
            if (!qemu.waitFor(3, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
                qemu.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Per-run initrds left by runs that were killed outright (SIGKILL) a day ago or more. */
    private static void removeStaleInitrds(Path workDir) {
        long dayAgo = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(workDir, "initrd-*.img")) {
            for (Path file : old) {
                if (Files.getLastModifiedTime(file).toMillis() < dayAgo) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // only housekeeping
        }
    }

    private void writeInitrd(RunRequest request, Path initrd) throws IOException {
        try (OutputStream o = Files.newOutputStream(initrd)) {
            Files.copy(image.initramfs(), o);
            request.writeArchive(o);
        }
    }

    private int supervise(Process process, RunRequest request, PrintStream out, PrintStream err) {
        ConsoleProtocol console = new ConsoleProtocol(request.nonce());
        Deque<String> qemuErrors = new ArrayDeque<>();
        Thread consoleReader = new Thread(() -> readConsole(process.getInputStream(), console, out, err), "mini-lab-console");
        Thread errorReader = new Thread(() -> keepLast(process.getErrorStream(), qemuErrors), "mini-lab-qemu-stderr");
        consoleReader.setDaemon(true);
        errorReader.setDaemon(true);
        consoleReader.start();
        errorReader.start();
        try {
            boolean exited = process.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                stop(process);
                consoleReader.join(1000);
                out.flush();
                err.println("mini lab: timed out after " + options.timeout().toSeconds() + " s"
                        + (console.started() ? " while the command ran" : " before the command started")
                        + "; qemu was killed (allow more with --timeout SECONDS)");
                return TIMED_OUT;
            }
            consoleReader.join(5000);
            errorReader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            err.println("mini lab: interrupted; qemu was killed");
            return LAB_FAILED;
        }
        out.flush();
        if (console.status().isPresent() && console.started()) {
            return console.status().getAsInt();
        }
        if (interrupted) {
            err.println("mini lab: interrupted; the guest was stopped");
            return INTERRUPTED;
        }
        // the guest never ran the command: show why, from its console and from qemu
        if (!options.verbose()) {
            for (String line : console.lastNoise()) {
                err.println("  | " + line);
            }
        }
        synchronized (qemuErrors) {
            for (String line : qemuErrors) {
                err.println("  qemu: " + line);
            }
        }
        if (console.status().isPresent()) {
            err.println("mini lab: the guest could not set up the lab (see its console above)");
            return console.status().getAsInt();
        }
        err.println("mini lab: the guest stopped without reporting the command's exit status (qemu exit "
                + process.exitValue() + ")");
        return LAB_FAILED;
    }

    private void printStats(PrintStream err) {
        long end = endedAt != 0 ? endedAt : System.nanoTime();
        String boot = startedAt != 0 ? String.format("%.1f s", (startedAt - bootedAt) / 1e9) : "-";
        String command = startedAt != 0 ? String.format("%.1f s", (end - startedAt) / 1e9) : "-";
        err.printf("mini lab: boot to command %s, command %s, qemu total %.1f s%n", boot, command,
                (System.nanoTime() - bootedAt) / 1e9);
    }

    /**
     * Copies the command's output from the console. Lines are classified by the protocol; in an
     * interactive run an unfinished line (a prompt) is shown at once, except what could be the
     * start of the exit marker.
     */
    private void readConsole(InputStream in, ConsoleProtocol console, PrintStream out, PrintStream err) {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            StringBuilder line = new StringBuilder();
            int shown = 0; // characters of the unfinished line already written (interactive runs)
            int n;
            while ((n = reader.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        completeLine(console, line.toString(), shown, out, err);
                        line.setLength(0);
                        shown = 0;
                    } else {
                        line.append(buffer[i]);
                    }
                }
                if (options.interactive() && console.started() && console.status().isEmpty()) {
                    int safe = console.safeLength(line);
                    if (safe > shown) {
                        out.print(line.substring(shown, safe));
                        out.flush();
                        shown = safe;
                    }
                }
            }
            if (line.length() > 0) {
                completeLine(console, line.toString(), shown, out, err);
            }
        } catch (IOException e) {
            // qemu closed its side: the status (or its absence) tells the rest
        }
    }

    private void completeLine(ConsoleProtocol console, String line, int shown, PrintStream out, PrintStream err) {
        boolean wasStarted = console.started();
        ConsoleProtocol.Event event = console.line(line);
        if (!wasStarted && console.started()) {
            startedAt = System.nanoTime();
        }
        if (event instanceof ConsoleProtocol.Noise noise && options.verbose()) {
            err.println("  | " + noise.text());
        } else if (event instanceof ConsoleProtocol.Output output) {
            out.println(output.text().substring(Math.min(shown, output.text().length())));
            out.flush();
        } else if (event instanceof ConsoleProtocol.Exit exit) {
            endedAt = System.nanoTime();
            if (!exit.textBefore().isEmpty()) {
                out.println(exit.textBefore().substring(Math.min(shown, exit.textBefore().length())));
                out.flush();
            }
        }
    }

    private static void keepLast(InputStream in, Deque<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > 20) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // qemu is gone
        }
    }
}
