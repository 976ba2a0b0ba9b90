package dev.minidocker.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lab in one call, for the command line and for tests in other modules: prepare (once),
 * boot, run the command in the checkout's directory, return its exit status.
 */
public final class Lab {
    private final LabHome home;
    private final Map<String, String> hostEnv;

    public Lab(LabHome home, Map<String, String> hostEnv) {
        this.home = home;
        this.hostEnv = hostEnv;
    }

    /** The lab of the checkout this code runs from (or MINI_HOME), with the process's environment. */
    public static Lab fromEnvironment() {
        return new Lab(LabHome.locate(System.getenv()), System.getenv());
    }

    public LabHome home() {
        return home;
    }

    /** Prepares without booting: what the first run would do, with progress on {@code progress}. */
    public LabImage prepare(PrintStream progress) {
        return new LabCache(home.cache(), progress).prepare();
    }

    /**
     * Runs {@code command} in a fresh guest. Output of the command goes to {@code out}; progress
     * and the lab's own errors to {@code err}. Returns the command's status, or 124 on timeout,
     * 125 when the lab itself failed.
     */
    public int run(LabOptions options, List<String> command, PrintStream out, PrintStream err) {
        try {
            Tools.require("qemu-system-x86_64", "qemu-system-x86");
            LabImage image = prepare(err);
            RunRequest request = RunRequest.of(options.cgroup(), home.checkout(), command, hostEnv);
            if (options.interactive()) {
                request = request.interactive(terminalSize());
            }
            return new LabMachine(image, options).run(request, home.cache().resolve("runs"), out, err);
        } catch (LabException e) {
            err.println("mini lab: " + e.getMessage());
            return LabMachine.LAB_FAILED;
        }
    }

    /** This process's terminal size from {@code stty size} (rows 0 when there is no terminal). */
    static RunRequest.Terminal terminalSize() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip().split(" ");
            if (stty.waitFor() == 0 && size.length == 2) {
                return new RunRequest.Terminal(Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            }
        } catch (IOException | NumberFormatException e) {
            // no terminal: the guest keeps its default size
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new RunRequest.Terminal(0, 0);
    }

    /** The outcome of a run whose output was kept: for tests. */
    public record Outcome(int status, String output, String errors) {
    }

    /** Runs {@code command} and keeps its output (and the lab's messages) instead of printing them. */
    public Outcome capture(LabOptions options, List<String> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = run(options, command, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The command that runs {@code mainClass} in the guest with this JVM's java and class path:
     * the guest sees the host's files at the same paths, so a test can run its own code there.
     */
    public static List<String> javaCommand(String mainClass, String... args) {
        // under surefire, java.class.path may be a temporary manifest-only jar; this is the real path
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
