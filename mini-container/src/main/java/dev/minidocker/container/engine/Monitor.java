package dev.minidocker.container.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ExitStatus;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Spawn;
import dev.minidocker.sys.Syscalls;

/**
 * The monitor of a detached container: conmon, podman's. A detached container needs a parent that
 * outlives the command that started it: one that holds its stdio and writes it to the log, reaps
 * its PID 1 and records how it ended. conmon daemonizes (forks, and its first process exits at
 * once), then runs the runtime's {@code create} as its child (so it becomes the container's
 * parent: it is a child subreaper), reports the container's PID on the sync pipe, and stays until
 * PID 1 ends: then it writes the exit status to {@code exits/ID} and runs the exit command.
 */
public final class Monitor {
    /** conmon's sync pipe: the descriptor number it finds in this environment variable. */
    private static final String SYNC_PIPE_ENV = "_OCI_SYNCPIPE";
    private static final int SYNC_FD = 3;
    private static final Pattern DATA = Pattern.compile("\"data\"\\s*:\\s*(-?\\d+)");
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * Where the programs are.
     *
     * @param conmon      the conmon binary
     * @param runtime     the OCI runtime command line conmon calls (./mini-runc)
     * @param exitCommand what conmon runs when the container ended (mini's own clean-up), the ID added last; or empty
     */
    public record Programs(String conmon, String runtime, List<String> exitCommand) {
    }

    /** The files of one container's monitor, all in its bundle. */
    public record Layout(Path bundle) {
        public Path log() {
            return bundle.resolve("ctr.log");
        }

        public Path exitDir() {
            return bundle.resolve("exits");
        }

        public Path pidFile() {
            return bundle.resolve("pidfile");
        }

        public Path monitorPidFile() {
            return bundle.resolve("conmon.pid");
        }

        public Path monitorLog() {
            return bundle.resolve("conmon.log");
        }

        /** conmon links sockets/ID to the bundle and makes its attach socket there: bundle/attach. */
        public Path sockets() {
            return bundle.resolve("sockets");
        }
    }

    private Monitor() {
    }

    /** What a started monitor reports: its own PID and the container's (created, waiting for start). */
    public record Started(int monitorPid, int containerPid) {
    }

    // tag::conmon[]
    /** Starts conmon for container id; returns once the runtime's create is done. */
    public static Started start(Programs p, String id, String name, Path bundle, Path runtimeRoot, Long logSizeMax) {
        Layout f = new Layout(bundle);
        try {
            Files.createDirectories(f.exitDir());
            Files.createDirectories(f.sockets());
            Files.deleteIfExists(f.exitDir().resolve(id));
            Files.deleteIfExists(f.pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the monitor's files in " + bundle + ": " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>(List.of(p.conmon(), "--api-version", "1", "-c", id, "-u", id, "-n", name,
                "-r", p.runtime(), "-b", bundle.toString(), "-p", f.pidFile().toString(), "-P", f.monitorPidFile().toString(),
                "--exit-dir", f.exitDir().toString(), "-l", "k8s-file:" + f.log(), "--log-level", "error",
                "--socket-dir-path", f.sockets().toString(), "--runtime-arg", "--root", "--runtime-arg", runtimeRoot.toString()));
        if (logSizeMax != null) {
            argv.addAll(List.of("--log-size-max", Long.toString(logSizeMax)));
        }
        ContainerSpec spec = SpecFile.read(bundle.resolve("config.json"), ContainerSpec.class);
        if (spec != null && spec.process() != null && spec.process().isTerminal()) {
            argv.add("-t"); // conmon makes a console socket, passes it to create, holds the master and logs what it reads
        }
        if (!p.exitCommand().isEmpty()) {
            argv.addAll(List.of("--exit-command", p.exitCommand().get(0)));
            for (String a : p.exitCommand().subList(1, p.exitCommand().size())) {
                argv.addAll(List.of("--exit-command-arg", a));
            }
            argv.addAll(List.of("--exit-command-arg", id));
        }
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        env.add(SYNC_PIPE_ENV + "=" + SYNC_FD);
        env.add("MINI_NO_BUILD=1"); // the runtime it calls is this build: no need to look for changed sources
        int[] sync = Syscalls.pipe2(02000000 /* O_CLOEXEC */);
        int first;
        try {
            first = new Spawn(argv, env).program(p.conmon())
                    .openForReading(0, "/dev/null")
                    .openForWriting(1, f.monitorLog().toString())
                    .dup2(1, 2)
                    .dup2(sync[1], SYNC_FD)
                    .closeFrom(SYNC_FD + 1)
                    .start();
        } finally {
            Syscalls.close(sync[1]);
        }
        try {
            String report = readAll(sync[0]);
            Syscalls.waitpid(first);                  // its first process exits once the daemon is forked
            Matcher m = DATA.matcher(report);
            if (!m.find() || Integer.parseInt(m.group(1)) <= 0) {
                Matcher msg = MESSAGE.matcher(report);
                throw new ContainerException(ExitStatus.RUNTIME_ERROR, msg.find()
                        ? msg.group(1).replace("\\n", " ").replace("\\\"", "\"").trim()
                        : "the monitor (conmon) did not create the container: " + lastLine(f.monitorLog(), report));
            }
            int containerPid = Integer.parseInt(m.group(1));
            int monitorPid = Integer.parseInt(Files.readString(f.monitorPidFile()).trim());
            return new Started(monitorPid, containerPid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.monitorPidFile() + ": " + e.getMessage(), e);
        } finally {
            Syscalls.close(sync[0]);
        }
    }
    // end::conmon[]

    /** What conmon said last (its log), else what came on the sync pipe. */
    private static String lastLine(Path log, String report) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank() && !l.contains("oom_score_adj")).toList();
            return lines.isEmpty() ? "no report (\"" + report.trim() + "\")" : lines.get(lines.size() - 1).trim();
        } catch (IOException e) {
            return "no report (\"" + report.trim() + "\")";
        }
    }

    /** Reads the sync pipe until conmon's first report is complete (a JSON object) or the pipe closes. */
    private static String readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        while (true) {
            long n = Native.libc().read(fd, buf, buf.length);
            if (n <= 0) {
                break;
            }
            out.write(buf, 0, (int) n);
            if (out.toString(StandardCharsets.UTF_8).contains("}")) {
                break;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
