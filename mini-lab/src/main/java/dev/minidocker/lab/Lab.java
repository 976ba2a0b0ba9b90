package dev.minidocker.lab;

import java.io.PrintStream;
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
            return new LabMachine(image, options).run(request, home.cache().resolve("runs"), out, err);
        } catch (LabException e) {
            err.println("mini lab: " + e.getMessage());
            return LabMachine.LAB_FAILED;
        }
    }
}
