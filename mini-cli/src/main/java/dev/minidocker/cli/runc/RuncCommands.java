package dev.minidocker.cli.runc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ExecProcess;
import dev.minidocker.container.runtime.RuntimeState;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.runtime.TerminalRelay;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The subcommands of {@code mini-runc}, each the OCI operation of the same name (runtime.md "Operations"). */
final class RuncCommands {
    private RuncCommands() {
    }

    private static ContainerRuntime runtime() {
        return RuncMain.current().runtime();
    }

    /** The fields runc prints for a container, in its order, by state and by list. */
    private static Map<String, Object> stateFields(RuntimeState s, String owner) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", s.ociVersion());
        m.put("id", s.id());
        m.put("pid", s.status() == dev.minidocker.container.runtime.Status.STOPPED ? 0 : s.pid());
        m.put("status", s.status().word());
        m.put("bundle", s.bundle());
        m.put("rootfs", s.rootfs());
        m.put("created", s.created());
        m.put("owner", owner);
        return m;
    }

    /** Shared by create and run. */
    static class CreateFlags {
        @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", description = "The bundle: config.json and the root (default: the current directory).")
        Path bundle = Path.of(".");

        @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the container's PID here (written whole, then renamed).")
        String pidFile;

        @Option(names = "--console-socket", paramLabel = "SOCKET", description = "Unix socket to send the terminal's master to (process.terminal).")
        String consoleSocket;

        @Option(names = "--no-pivot", description = "chroot instead of pivot_root (for roots on a ramdisk).")
        boolean noPivot;

        @Option(names = "--no-new-keyring", description = "Accepted: mini-runc does not make session keyrings.")
        boolean noNewKeyring;

        @Option(names = "--preserve-fds", paramLabel = "N", description = "Pass N descriptors after stdio (3 .. 3+N-1) to the container.")
        int preserveFds;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        ContainerRuntime.CreateOptions options(boolean foreground) {
            if (preserveFds < 0) {
                throw new RuncMain.RuncError("--preserve-fds must be 0 or more, got " + preserveFds);
            }
            return new ContainerRuntime.CreateOptions(pidFile, consoleSocket, noPivot, preserveFds, foreground, Stdio.inherit());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a container from a bundle; its process waits for 'start'. The container outlives this command.")
    static final class Create extends CreateFlags implements Callable<Integer> {
        @Override
        public Integer call() {
            runtime().create(id, bundle.toAbsolutePath(), options(false));
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start the user's program in a created container.")
    static final class Start implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            runtime().start(id);
            return 0;
        }
    }

    @Command(name = "state", mixinStandardHelpOptions = true, description = "Print a container's state as JSON (OCI runtime.md \"State\").")
    static final class State implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            RuntimeState s = runtime().state(id);
            Map<String, Object> out = stateFields(s, "");
            out.put("annotations", s.annotations() == null ? Map.of() : s.annotations());
            System.out.println(SpecFile.toJson(out));
            return 0;
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal (default SIGTERM) to the container's process.")
    static final class Kill implements Callable<Integer> {
        @Option(names = {"-a", "--all"}, description = "Signal every process in the container's cgroup.")
        boolean all;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "SIGNAL", arity = "0..1", description = "A number or a name, with or without SIG.")
        String signal = "TERM";

        @Override
        public Integer call() {
            int sig;
            try {
                sig = Signals.parse(signal);
            } catch (IllegalArgumentException e) {
                throw new RuncMain.RuncError(e.getMessage());
            }
            runtime().kill(id, sig, all);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a stopped container: its state, cgroup and poststop hooks. --force kills a running one first.")
    static final class Delete implements Callable<Integer> {
        @Option(names = {"-f", "--force"}, description = "Kill the container if it is still running.")
        boolean force;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try {
                runtime().delete(id, force);
            } catch (ContainerException e) {
                if (force && e.getMessage().endsWith("does not exist")) {
                    return 0; // runc: delete --force of a container that is gone is not an error
                }
                throw e;
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Create and start a container; without -d, wait for it and exit with its status, then delete it.")
    static final class Run extends CreateFlags implements Callable<Integer> {
        @Option(names = {"-d", "--detach"}, description = "Return once started; the container outlives this command.")
        boolean detach;

        @Override
        public Integer call() {
            ContainerRuntime rt = runtime();
            TerminalRelay relay = null;
            ContainerRuntime.CreateOptions o = options(!detach);
            if (!detach && consoleSocket == null && SpecFile.read(bundle.resolve("config.json"), ContainerSpec.class) != null
                    && SpecFile.read(bundle.resolve("config.json"), ContainerSpec.class).process().isTerminal()) {
                // as runc run: with a terminal and nobody to hand it to, this command holds it
                relay = TerminalRelay.listen();
                o = new ContainerRuntime.CreateOptions(o.pidFile(), relay.socketPath(), o.noPivot(), o.preserveFds(), true, o.stdio());
            }
            try {
                Container c = rt.create(id, bundle.toAbsolutePath(), o);
                if (detach) {
                    rt.start(id);
                    return 0;
                }
                if (relay != null) {
                    relay.start();
                }
                int code;
                try {
                    rt.start(id);
                    c.awaitExec();
                    code = c.await();
                } catch (ContainerException e) {
                    c.kill(Signals.SIGKILL);
                    c.await();
                    rt.delete(id, true);
                    throw e;
                }
                rt.delete(id, true);
                return code;
            } finally {
                if (relay != null) {
                    relay.close();
                }
            }
        }
    }

    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = "Run another process in a running container (its namespaces and cgroup).")
    static final class Exec implements Callable<Integer> {
        @Option(names = {"-p", "--process"}, paramLabel = "FILE", description = "The process as JSON (config.json's \"process\").")
        Path processFile;

        @Option(names = {"-d", "--detach"}, description = "Do not wait for the process.")
        boolean detach;

        @Option(names = {"-t", "--tty"}, description = "Allocate a terminal: its master goes to --console-socket (or this command relays it).")
        boolean tty;

        @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the new process's PID here.")
        String pidFile;

        @Option(names = "--console-socket", paramLabel = "SOCKET", description = "For -t: where to send the terminal's master.")
        String consoleSocket;

        @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory (default: the container's).")
        String cwd;

        @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "Add an environment variable.")
        List<String> env = new ArrayList<>();

        @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "User and group IDs.")
        String user;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1..*", paramLabel = "CMD")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            ContainerRuntime rt = runtime();
            ContainerSpec.Process base = rt.spec(id).process();
            ContainerSpec.Process p;
            if (processFile != null) {
                try {
                    p = SpecFile.parse(Files.readString(processFile), ContainerSpec.Process.class);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + processFile + ": " + e.getMessage(), e);
                }
                if (p == null || p.args() == null || p.args().isEmpty()) {
                    throw new RuncMain.RuncError(processFile + ": args is missing or empty");
                }
            } else {
                if (command.isEmpty()) {
                    throw new RuncMain.RuncError("exec: give a command, or --process FILE");
                }
                List<String> e = new ArrayList<>(base.env() == null ? List.of() : base.env());
                e.addAll(env);
                ContainerSpec.User u = base.user();
                if (user != null) {
                    String[] ids = user.split(":");
                    u = new ContainerSpec.User(Long.parseLong(ids[0]), ids.length > 1 ? Long.parseLong(ids[1]) : 0, null, null);
                }
                p = new ContainerSpec.Process(tty, null, u, command, e, cwd != null ? cwd : base.cwd(), base.capabilities(),
                        base.rlimits(), base.noNewPrivileges(), base.apparmorProfile(), base.oomScoreAdj(), base.selinuxLabel());
            }
            if (p.isTerminal() && consoleSocket == null && !detach) {
                try (TerminalRelay relay = TerminalRelay.listen()) { // as runc exec -t: nobody to hand it to, this command holds it
                    ExecProcess ep = rt.exec(id, p, pidFile, false, true, relay.socketPath());
                    relay.start();
                    return ep.await();
                }
            }
            ExecProcess ep = rt.exec(id, p, pidFile, detach, true, consoleSocket);
            return detach ? 0 : ep.await();
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the containers under --root.")
    static final class ListContainers implements Callable<Integer> {
        @Option(names = {"-f", "--format"}, paramLabel = "table|json")
        String format = "table";

        @Option(names = {"-q", "--quiet"}, description = "IDs only.")
        boolean quiet;

        @Override
        public Integer call() {
            List<RuntimeState> all = runtime().list();
            if ("json".equals(format)) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (RuntimeState s : all) {
                    out.add(stateFields(s, "root"));
                }
                System.out.println(new com.google.gson.Gson().toJson(out));
                return 0;
            }
            if (!quiet) {
                System.out.printf("%-20s %-8s %-10s %-40s %s%n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
            }
            for (RuntimeState s : all) {
                if (quiet) {
                    System.out.println(s.id());
                } else {
                    System.out.printf("%-20s %-8d %-10s %-40s %s%n", s.id(),
                            s.status() == dev.minidocker.container.runtime.Status.STOPPED ? 0 : s.pid(), s.status().word(),
                            s.bundle(), s.created());
                }
            }
            return 0;
        }
    }

    @Command(name = "ps", mixinStandardHelpOptions = true, description = "The processes of a container (the PIDs in its cgroup).")
    static final class Ps implements Callable<Integer> {
        @Option(names = {"-f", "--format"}, paramLabel = "table|json")
        String format = "table";

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            RuntimeState s = runtime().state(id);
            List<Integer> pids = new ArrayList<>();
            for (String d : s.cgroupDirs()) {
                try {
                    for (String line : Files.readAllLines(Path.of(d, "cgroup.procs"))) {
                        if (!line.isBlank()) {
                            pids.add(Integer.parseInt(line.trim()));
                        }
                    }
                    break;
                } catch (IOException e) {
                    // try the next hierarchy
                }
            }
            if ("json".equals(format)) {
                System.out.println(pids);
            } else {
                System.out.println("PID");
                pids.forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true, description = "What this runtime supports, as JSON (OCI features.md).")
    static final class Features implements Callable<Integer> {
        @Override
        public Integer call() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("ociVersionMin", "1.0.0");
            f.put("ociVersionMax", ContainerSpec.OCI_VERSION);
            f.put("hooks", List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"));
            f.put("mountOptions", List.of("ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec", "sync", "async",
                    "dirsync", "remount", "mand", "nomand", "atime", "noatime", "diratime", "nodiratime", "relatime",
                    "norelatime", "strictatime", "nostrictatime", "bind", "rbind", "private", "rprivate", "shared",
                    "rshared", "slave", "rslave", "unbindable", "runbindable"));
            Map<String, Object> linux = new LinkedHashMap<>();
            linux.put("namespaces", List.of("cgroup", "ipc", "mount", "network", "pid", "uts"));
            linux.put("cgroup", Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false));
            linux.put("capabilities", java.util.Arrays.stream(dev.minidocker.container.security.Capability.values())
                    .map(Enum::name).toList());
            Map<String, Object> seccomp = new LinkedHashMap<>();
            seccomp.put("enabled", true);
            seccomp.put("actions", List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"));
            seccomp.put("operators", List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                    "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"));
            seccomp.put("archs", List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"));
            seccomp.put("knownFlags", List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"));
            seccomp.put("supportedFlags", List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"));
            linux.put("seccomp", seccomp);
            linux.put("apparmor", Map.of("enabled", false));
            linux.put("selinux", Map.of("enabled", false));
            f.put("linux", linux);
            f.put("annotations", Map.of(ContainerSpec.ISOLATION_ANNOTATION, "chroot: chroot(2) instead of pivot_root(2)"));
            System.out.println(SpecFile.toJson(f));
            return 0;
        }
    }

    @Command(name = "spec", mixinStandardHelpOptions = true, description = "Write a default config.json (sh in ./rootfs), as 'runc spec' does.")
    static final class Spec implements Callable<Integer> {
        @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", description = "Where to write it (default: the current directory).")
        Path bundle = Path.of(".");

        @Override
        public Integer call() {
            Path f = bundle.resolve("config.json");
            if (Files.exists(f)) {
                throw new RuncMain.RuncError("File " + f + " exists. Remove it first");
            }
            SpecFile.write(f, SpecDefaults.bundleSpec());
            return 0;
        }
    }
}
