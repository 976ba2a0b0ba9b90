package dev.minidocker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.ContainerCgroup;
import dev.minidocker.container.cgroup.Limits;

import dev.minidocker.container.fs.RootFilesystem;
import dev.minidocker.container.image.DefaultImages;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageConfig;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.net.NetworkMode;
import dev.minidocker.container.net.PortMapping;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.engine.ContainerNetwork;
import dev.minidocker.container.engine.DetachedRun;
import dev.minidocker.container.engine.NetworkSetup;
import dev.minidocker.container.engine.Volumes;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.ns.Rootless;
import dev.minidocker.container.engine.RunRequest;
import dev.minidocker.container.engine.SpecBuilder;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.InitStandby;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.runtime.TerminalRelay;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a command in a new container.",
                "The command runs as PID 1 in new UTS, IPC, network, mount and PID namespaces,",
                "on an overlay of the image's layers, with a private /proc, a minimal /dev and",
                "a read-only /sys; its network is eth0 on the host bridge mini0 (see --network).",
                "By default it holds docker's 14 capabilities, runs under docker's seccomp",
                "profile, sees masked and read-only /proc paths and may open only the default",
                "devices; the flags below relax each.",
                "Exit status: the command's; 125 if mini failed, 126 if the command cannot be",
                "executed, 127 if it is not found, 128+N if it was killed by signal N.",
                "As PID 1 the command gets no default action for signals it has no handler",
                "for (TERM, INT, PIPE): a shell loop writing into a closed pipe runs on, and",
                "'mini stop' ends it with SIGKILL. --init puts tini in front of it, which",
                "restores those defaults for the command.",
                "-it: a shell on a pty of its own (job control, Ctrl-C, the window's size);",
                "mini's terminal is in raw mode until it ends.",
                "Run by a user without root, mini is rootless: uid 0 inside is that user",
                "outside, the store $XDG_DATA_HOME/mini-docker (~/.local/share/mini-docker),",
                "the network none; bridge networks, cgroup limits and -d need root."})
final class RunCommand implements Callable<Integer> {
    @Option(names = {"-d", "--detach"}, description = {"Run in the background and print the container's ID. A monitor (conmon)",
            "holds its stdio and writes the log ('mini logs'), reaps its PID 1 and keeps its exit status."})
    boolean detach;

    @Option(names = {"-i", "--interactive"}, description = "Keep stdin attached (without it the command reads /dev/null, as docker's).")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-terminal: the command's stdio is a pty of the container's own"
            + " devpts, its controlling terminal (with -i, mini's stdin must be a terminal).")
    boolean tty;

    @Option(names = "--log-opt", paramLabel = "max-size=SIZE",
            description = "With -d: bound the log file (e.g. max-size=10m; the monitor starts it anew when full).")
    List<String> logOpts = new ArrayList<>();

    @Option(names = "--rm", description = "Remove the container and its files when it exits.")
    boolean remove;

    @Option(names = "--name", paramLabel = "NAME", description = "Name the container (default: mini_<short id>).")
    String name;

    @Option(names = "--hostname", paramLabel = "HOST", description = "Hostname inside the container (default: its short ID).")
    String hostname;

    @Option(names = "--isolation", paramLabel = "MODE", defaultValue = "pivot_root",
            description = "How the container is kept apart: pivot_root (default), chroot (escapable; for teaching), or vm: "
                    + "a Linux guest of its own booted by mini-vmm, the image as its initramfs (needs hardware KVM; "
                    + "--memory is then the guest's RAM, default 256m; stdin is passed line by line).")
    String isolation;

    @Option(names = "--kernel", paramLabel = "BZIMAGE",
            description = "With --isolation vm: the guest kernel (default: the one 'mini vm boot' uses).")
    java.nio.file.Path kernel;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE",
            description = "Set an environment variable (KEY alone copies it from mini's environment). Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside (absolute; created if missing).")
    String workdir;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "When mini gets SIGTERM: seconds the container has to exit before SIGKILL (default: ${DEFAULT-VALUE}).")
    int stopTimeout;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit, e.g. 64m (b, k, m, g); over it the OOM killer acts.")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "SIZE",
            description = "Memory plus swap (equal to --memory: no swap; -1: unlimited; default: twice --memory).")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU time per period as a number of CPUs, e.g. 0.5.")
    String cpus;

    @Option(names = "--cpu-weight", paramLabel = "W", description = "Relative CPU weight under contention, 1..10000 (default 100).")
    Integer cpuWeight;

    @Option(names = "--pids", paramLabel = "N", description = "Most processes and threads at once (stops fork bombs).")
    Integer pids;

    @Option(names = "--cgroup-driver", paramLabel = "v1|v2", description = "Force a cgroup version (default: detected).")
    String cgroupDriver;

    @Option(names = "--userns", paramLabel = "host|private|auto",
            description = "host (the default, as docker's): the container's root is the host's root, held back by capabilities "
                    + "and seccomp. private (auto is the same): a user namespace of its own, root inside mapped to an unprivileged "
                    + "host range: the 'mini' entry of /etc/subuid and /etc/subgid, else root's, else 100000-165535. The image's "
                    + "files keep their owners inside (idmapped layers); what it writes is owned by that range on the host. "
                    + "'mini exec' into it is not supported yet.")
    String userns = "host";

    @Option(names = "--network", paramLabel = "NETWORK",
            description = "bridge (the default as root: eth0 on mini0, outbound NAT), none (loopback only; the default rootless), "
                    + "host (the host's own network), container:NAME (another container's), or a network made "
                    + "with 'mini network create'. MINI_DEFAULT_NETWORK changes the default (as dockerd's --bridge=none does).")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:][HOST_PORT:]PORT[/udp]",
            description = "Publish a container port on the host's addresses and 127.0.0.1 (ranges N-M; "
                    + "without HOST_PORT a free one: see 'mini port NAME'). Repeatable.")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DEST[:ro]",
            description = "Bind mount a host path (/abs/path:/in/container) or a named volume (NAME:/path, made on first use). Repeatable.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "type=bind|volume|tmpfs,source=S,target=T[,readonly]",
            description = "A mount given field by field (tmpfs-size=SIZE for tmpfs). Repeatable.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "PATH[:size=SIZE]", description = "A tmpfs at PATH (memory, gone with the container). Repeatable.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--read-only", description = "Mount the root read-only (volumes, binds and tmpfs stay as asked).")
    boolean readOnly;

    @Option(names = "--init", description = {"Run a minimal init (tini) as PID 1, with the command as its child: it passes",
            "signals on with their default actions and reaps orphans (for commands that do not)."})
    boolean init;

    @Option(names = "--restart", paramLabel = "POLICY", defaultValue = "no",
            description = "With -d: no (default), on-failure[:N] (a non-zero exit, at most N times), always (until 'mini stop').")
    String restart;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Run CMD instead of the image's entrypoint (\"\" clears it).")
    String entrypoint;

    @Option(names = "--stats-on-exit", description = "Print memory (current, peak), CPU time and pids when the command ends "
            + "(with --isolation vm: the guest's memory, resident and KSM-merged, and boot times).")
    boolean statsOnExit;

    @picocli.CommandLine.Mixin
    SecurityFlags security = new SecurityFlags();

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image name (e.g. busybox, made offline on first use).")
    String imageRef;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "Command and arguments (default: the image's).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        if (isolation.equals("vm")) {
            return VmIsolation.run(this);
        }
        if (kernel != null) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--kernel needs --isolation vm: a namespace container runs on the host's kernel");
        }
        Isolation mode = Isolation.parse(isolation);
        if (workdir != null && !workdir.startsWith("/")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "the working directory must be absolute, got \"" + workdir + "\"");
        }
        if (name != null && !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "invalid container name \"" + name
                    + "\": use letters, digits and _ . - (starting with a letter or digit)");
        }
        if (stopTimeout < 0) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--stop-timeout must be 0 or more seconds, got " + stopTimeout);
        }
        if (tty && interactive && !detach && !dev.minidocker.sys.Pty.isTerminal(0)) {
            throw new Cli.CliError(1, "the input device is not a TTY"); // docker's words and status
        }
        if (detach && interactive && !tty) {
            // with -t the pty is its stdin, held open by the monitor; without, there is no 'mini attach' to feed a pipe
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "-d -i without -t is not supported yet (there is no 'mini attach'): use -dit or -d");
        }
        Long logSizeMax = logSizeMax(logOpts);
        RestartPolicy.parse(restart);
        if (!detach && !restart.equals("no")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--restart " + restart + " needs -d: the monitor restarts the command, and only a detached container has one");
        }
        if (remove && !restart.equals("no")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--restart and --rm conflict: a container cannot be both restarted and removed when it ends");
        }
        boolean privateUsers = switch (userns) {
            case "host" -> false;
            case "private", "auto" -> true;
            default -> throw new Cli.CliError(Cli.RUNTIME_ERROR, "--userns " + userns + ": use host, private or auto");
        };
        Limits limits = Limits.parse(memory, memorySwap, cpus, cpuWeight, pids);
        NetworkMode networkMode = NetworkMode.parse(network != null ? network : defaultNetwork());
        if (Rootless.active()) {
            refuseWhatRootlessCannot(network != null ? network : defaultNetwork(), limits, privateUsers);
        }
        List<PortMapping> ports = new ArrayList<>();
        for (String p : publish) {
            ports.addAll(PortMapping.parse(p));
        }
        Trace.mark("run: flags parsed");
        Cli.requireRoot("mini run");
        Trace.mark("run: libc bound, root checked");
        // without -i the command's stdin is /dev/null, as docker's; with -t the pty is all three
        Stdio stdio = interactive || tty ? Stdio.inherit() : new Stdio(Path.of("/dev/null"), null, null);
        // the init stage's JVM boots while the image is found and the bundle written (it needs only its
        // namespaces and stdio); a terminal, a user namespace or a network's step need the full create
        try (InitStandby standby = !detach && !tty && !privateUsers && networkMode.kind() == NetworkMode.Kind.NONE
                ? InitStandby.spawn(SpecBuilder.namespaces(Namespaces.CONTAINER), stdio) : null) {
            Trace.mark("run: init stage spawned");
            return run(mode, limits, networkMode, ports, logSizeMax, stdio, standby);
        }
    }

    private int run(Isolation mode, Limits limits, NetworkMode networkMode, List<PortMapping> ports, Long logSizeMax,
                    Stdio stdio, InitStandby standby) {
        ImageStore store = ImageStore.open(Cli.root());
        Image image = resolveImage(store, imageRef);
        Trace.mark("run: image resolved");
        Process process = process(image.config());
        RunRequest request = new RunRequest(name, image.reference(), image.layerDirs(), null, process.args(), process.env(),
                process.cwd(), hostname, EnumSet.copyOf(Namespaces.CONTAINER), mode, limits, cgroupDriver, remove,
                RootFilesystem.overlayAvailable() ? null : new RunRequest.Flatten(store, image),
                security.options(image.config().user()), tty ? terminal() : null);
        RunFlags flags = new RunFlags(network != null ? network : defaultNetwork(), publish, logSizeMax, volumes, mounts, tmpfs,
                readOnly, init, restart, userns);
        NetworkSetup net = flags.storage().around(new ContainerNetwork(networkMode, ports, Cli.root(), Cli.runRoot()),
                new Volumes(Cli.root()));
        net = RunFlags.withUserNamespace(net, userns);
        if (detach) {
            // tag::detach[]
            ContainerState s = DetachedRun.run(Cli.root(), request, net, Cli.monitor(), logSizeMax);
            RunFlags.save(s, flags);
            System.out.println(s.id());
            // end::detach[]
            return 0;
        }
        // tag::run-tty[]
        TerminalRelay relay = tty ? TerminalRelay.listen() : null;   // the engine's end of the container's pty
        ForegroundRun run;
        try {
            run = ForegroundRun.create(Cli.root(), request, stdio, net, relay == null ? null : relay.socketPath(), standby);
        } catch (CgroupException e) {
            closeQuietly(relay);
            throw new Cli.CliError(Cli.RUNTIME_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(relay);
            throw e;
        }
        if (relay != null) {
            relay.start(interactive);                                 // raw mode, SIGWINCH, copying both ways
        }
        // end::run-tty[]
        if (!remove) {
            RunFlags.save(run.state(), flags);
        }
        Trace.mark("run: created (init stage waits for start)");
        ContainerCgroup cgroup = ContainerCgroup.find(run.cgroupsPath(), limits).orElse(null);
        SignalForwarder forwarder = SignalForwarder.install(run.container(), stopTimeout);
        int code = Cli.RUNTIME_ERROR;
        try {
            run.start();
            Trace.mark("run: command started (execve done)");
            code = run.await();
            Trace.mark("run: command ended");
        } catch (ContainerException e) {
            run.container().kill(9);
            run.await();
            closeQuietly(relay); // the terminal back in its own mode first, so the message reads as one line
            System.err.println("mini: " + e.getMessage());
            code = e.exitCode();
        } finally {
            forwarder.uninstall();
            if (relay != null) {
                relay.close();                                        // the terminal as it was, before any message
            }
            report(cgroup, code);
            run.finish(code);
        }
        Trace.mark("run: cleaned up");
        return code;
    }

    /** -t: a pty the size of mini's terminal (0 by 0 without one: the kernel's default). */
    static RunRequest.Terminal terminal() {
        int[] size = TerminalRelay.currentWindowSize();
        return size == null ? new RunRequest.Terminal(0, 0) : new RunRequest.Terminal(size[0], size[1]);
    }

    static void closeQuietly(TerminalRelay relay) {
        if (relay != null) {
            relay.close();
        }
    }

    /** --log-opt max-size=SIZE as bytes, or null. */
    static Long logSizeMax(List<String> opts) {
        Long max = null;
        for (String o : opts) {
            if (!o.startsWith("max-size=")) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "unknown --log-opt \"" + o + "\": mini knows max-size=SIZE");
            }
            try {
                max = dev.minidocker.container.cgroup.ByteSize.parse(o.substring("max-size=".length()));
            } catch (IllegalArgumentException e) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "--log-opt " + o + ": " + e.getMessage());
            }
            if (max <= 0) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "--log-opt max-size must be more than 0, got " + o);
            }
        }
        return max;
    }

    /** bridge (rootless: none), unless MINI_DEFAULT_NETWORK names another mode for containers started without --network. */
    static String defaultNetwork() {
        String env = System.getenv("MINI_DEFAULT_NETWORK");
        return env != null && !env.isEmpty() ? env : Rootless.active() ? "none" : "bridge";
    }

    // tag::rootless-refusals[]
    /** Rootless, what needs the host's root is one line saying what to do instead. */
    private void refuseWhatRootlessCannot(String net, Limits limits, boolean privateUsers) {
        if (!net.equals("none") && !net.equals("host")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "rootless: --network " + net + " needs root (a veth on the host's bridge,"
                    + " nftables NAT): use --network none (the default rootless) or host, or run mini as root");
        }
        if (!limits.isEmpty()) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "rootless: cgroup limits (--memory, --cpus, --pids) need a cgroup v2 subtree"
                    + " delegated to you, which mini does not use yet: run without them, or as root ('mini doctor' shows the delegation)");
        }
        if (privateUsers) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "rootless: the container already has a user namespace (your uid is its root);"
                    + " --userns " + userns + " needs root");
        }
        if (detach) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "rootless: -d is not supported yet: run in the foreground, or as root");
        }
    }
    // end::rootless-refusals[]

    /** The command's process: command, environment, working directory. */
    record Process(List<String> args, List<String> env, String cwd) {
    }

    // tag::cgroup[]
    /** After the command: say why it died if the OOM killer did it, and print stats if asked (delete removes the cgroup). */
    private void report(ContainerCgroup cgroup, int code) {
        if (cgroup == null) {
            return;
        }
        try {
            String report = cgroup.exitReport(code);
            if (statsOnExit) {
                System.err.println("mini: stats: " + cgroup.stats().describe());
            }
            if (report != null) {
                System.err.println("mini: " + report);
            }
        } catch (CgroupException e) {
            System.err.println("mini: " + e.getMessage());
        }
    }
    // end::cgroup[]

    /** Finds the image; the default busybox image is made on first use. */
    static Image resolveImage(ImageStore store, String ref) {
        return store.find(ref).orElseGet(() -> {
            if (ref.equals("busybox") || ref.equals("busybox:latest")) {
                return DefaultImages.ensureBusybox(store, System.err);
            }
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "image \"" + ref + "\" not found: load it with './mini load FILE'"
                    + " ('./mini images' lists the images here)");
        });
    }

    /** The image's defaults overridden by the flags, as docker combines them. */
    Process process(ImageConfig cfg) {
        List<String> args = new ArrayList<>(entrypoint == null ? nullToEmpty(cfg.entrypoint())
                : entrypoint.isEmpty() ? List.of() : List.of(entrypoint));
        // as docker: --entrypoint also drops the image's CMD
        args.addAll(!command.isEmpty() ? command : entrypoint != null ? List.of() : nullToEmpty(cfg.cmd()));
        if (args.isEmpty()) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "no command given and image \"" + imageRef + "\" has none: add one after the image name");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("PATH", SpecDefaults.PATH);
        for (String e : nullToEmpty(cfg.env())) {
            put(vars, e);
        }
        for (String e : env) {
            if (e.contains("=")) {
                put(vars, e);
            } else if (System.getenv(e) != null) {
                vars.put(e, System.getenv(e));
            }
        }
        if (security.user == null && cfg.user().isEmpty()) {
            vars.putIfAbsent("HOME", "/root"); // with a user, the init stage takes HOME from the image's passwd
        }
        List<String> envList = new ArrayList<>();
        vars.forEach((k, v) -> envList.add(k + "=" + v));
        String cwd = workdir != null ? workdir
                : (cfg.workingDir() == null || cfg.workingDir().isEmpty() ? "/" : cfg.workingDir());
        if (init) {
            args.addAll(0, List.of(dev.minidocker.container.engine.Storage.INIT_PATH, "--"));
        }
        return new Process(args, envList, cwd);
    }

    private static void put(Map<String, String> vars, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "bad environment variable \"" + kv + "\": use KEY=VALUE");
        }
        vars.put(kv.substring(0, eq), kv.substring(eq + 1));
    }

    private static List<String> nullToEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
