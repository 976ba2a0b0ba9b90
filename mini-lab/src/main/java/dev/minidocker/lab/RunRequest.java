package dev.minidocker.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.minidocker.vmm.boot.InitramfsWriter;

/**
 * One command to run in the guest. It travels as a second, small cpio archive appended to the
 * cached initramfs ({@code /lab/run.conf} and {@code /lab/command}), so the cached part never
 * changes from run to run.
 *
 * @param nonce       a random word that the exit marker must carry, so that output of the
 *                    command cannot fake the end of the run
 * @param directory   where the command starts (the checkout: the same path in the guest)
 * @param environment the command's whole environment
 * @param scratch     directories that get their own tmpfs in the guest: overlayfs refuses another
 *                    overlay as its upper layer, so a container runtime in the guest needs a real
 *                    file system where it puts containers' upper directories
 * @param terminal    for an interactive run, the host terminal's size (rows 0 when unknown);
 *                    null when the command reads /dev/null
 */
public record RunRequest(String nonce, CgroupMode cgroup, Path directory, List<String> command,
        Map<String, String> environment, List<Path> scratch, Terminal terminal) {

    /** The size of the terminal an interactive command gets. */
    public record Terminal(int rows, int columns) {
    }


    /** The variables passed on from the host; everything else is set for the guest. */
    static final List<String> PASSED_ON = List.of("LANG", "LC_ALL", "JAVA_HOME", "TERM");

    public RunRequest {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        if (!nonce.matches("[0-9a-f]{8,64}")) {
            throw new IllegalArgumentException("nonce must be hex");
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        scratch = List.copyOf(scratch);
        for (Path dir : scratch) {
            if (!dir.isAbsolute() || !dir.toString().matches("[A-Za-z0-9._/+-]+")) {
                throw new IllegalArgumentException("scratch directory must be an absolute plain path: " + dir);
            }
        }
    }

    public RunRequest(String nonce, CgroupMode cgroup, Path directory, List<String> command,
            Map<String, String> environment) {
        this(nonce, cgroup, directory, command, environment, List.of(), null);
    }

    /** The same request, interactive on a terminal of that size. */
    public RunRequest interactive(Terminal size) {
        return new RunRequest(nonce, cgroup, directory, command, environment, scratch, size);
    }

    /** A request with a fresh nonce and the guest's environment built from the host's. */
    public static RunRequest of(CgroupMode cgroup, Path directory, List<String> command, Map<String, String> hostEnv) {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return new RunRequest(HexFormat.of().formatHex(random), cgroup, directory, command, guestEnvironment(hostEnv),
                List.of(containersDirectory(hostEnv)), null);
    }

    /**
     * Where mini's runtime keeps its containers (their overlay upper directories): under
     * $MINI_ROOT, or /var/lib/mini-docker, as the CLI decides. Images stay the host's.
     */
    static Path containersDirectory(Map<String, String> hostEnv) {
        String root = hostEnv.get("MINI_ROOT");
        return Path.of(root != null && !root.isEmpty() ? root : "/var/lib/mini-docker", "containers");
    }

    /** PATH, HOME and MINI_LAB are the guest's; LANG, JAVA_HOME, TERM and every MINI_* come from the host. */
    static Map<String, String> guestEnvironment(Map<String, String> hostEnv) {
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/root");
        env.put("TERM", "dumb");
        env.put("LANG", "C.UTF-8");
        hostEnv.forEach((name, value) -> {
            if (PASSED_ON.contains(name) || name.startsWith("MINI_")) {
                env.put(name, value);
            }
        });
        env.put("MINI_LAB", "1");
        return env;
    }

    /** {@code /lab/run.conf}: read by the guest's init and stage2 with the shell's "." */
    public String runConf() {
        StringBuilder dirs = new StringBuilder();
        for (Path dir : scratch) {
            dirs.append(dirs.length() == 0 ? "" : " ").append(dir);
        }
        return "LAB_NONCE=" + nonce + "\nLAB_CGROUP=" + cgroup.label() + "\nLAB_SCRATCH='" + dirs + "'\n"
                + "LAB_CHECKOUT=" + shellQuote(directory.toString()) + "\n"
                + (terminal == null ? "" : "LAB_INTERACTIVE=1\nLAB_ROWS=" + terminal.rows()
                        + "\nLAB_COLUMNS=" + terminal.columns() + "\n");
    }

    /** {@code /lab/command}: change to the directory, then exec the command with exactly the environment. */
    public String commandScript() {
        StringBuilder script = new StringBuilder();
        script.append("cd ").append(shellQuote(directory.toString()))
                .append(" || { echo \"mini-lab guest: no directory ").append(directory.toString().replace("\"", ""))
                .append("\"; exit 125; }\n");
        script.append("exec /usr/bin/env -i");
        environment.forEach((name, value) -> script.append(' ').append(shellQuote(name + "=" + value)));
        // env stops reading options at its first NAME=VALUE, so a command may start with "-"
        for (String word : command) {
            script.append(' ').append(shellQuote(word));
        }
        return script.append('\n').toString();
    }

    /** Writes the per-run archive; appended to the cached initramfs it overrides nothing there. */
    public void writeArchive(OutputStream out) throws IOException {
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            w.file("lab/run.conf", 0644, runConf());
            w.file("lab/command", 0644, commandScript());
        }
    }

    /** 'word' for the POSIX shell: single quotes keep everything literal but a single quote. */
    static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
