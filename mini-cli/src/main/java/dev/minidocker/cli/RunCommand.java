package dev.minidocker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.minidocker.container.cgroup.CgroupException;
import dev.minidocker.container.cgroup.ContainerCgroup;
import dev.minidocker.container.cgroup.DevicesController;
import dev.minidocker.container.cgroup.Limits;
import java.nio.file.Path;

import dev.minidocker.container.fs.RootFilesystem;
import dev.minidocker.container.image.DefaultImages;
import dev.minidocker.container.image.Flattener;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageConfig;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.runtime.ContainerConfig;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.ContainerRuntime;
import dev.minidocker.container.runtime.ContainerSpec;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.InitStage;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.sys.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a command in a new container.",
                "The command runs as PID 1 in new UTS, IPC, network (loopback only), mount and PID namespaces,",
                "on an overlay of the image's layers, with a private /proc, a minimal /dev and a read-only /sys.",
                "Exit status: the command's; 125 if mini failed, 126 if the command cannot be executed,",
                "127 if it is not found, 128+N if it was killed by signal N."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--rm", description = "Remove the container and its files when it exits.")
    boolean remove;

    @Option(names = "--name", paramLabel = "NAME", description = "Name the container (default: mini_<short id>).")
    String name;

    @Option(names = "--hostname", paramLabel = "HOST", description = "Hostname inside the container (default: its short ID).")
    String hostname;

    @Option(names = "--isolation", paramLabel = "MODE", defaultValue = "pivot_root",
            description = "How the root is switched: pivot_root (default) or chroot (escapable; for teaching).")
    String isolation;

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

    @Option(names = "--stats-on-exit", description = "Print memory (current, peak), CPU time and pids when the command ends.")
    boolean statsOnExit;

    @picocli.CommandLine.Mixin
    SecurityFlags security = new SecurityFlags();

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image name (e.g. busybox, made offline on first use).")
    String imageRef;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "Command and arguments (default: the image's).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        Isolation mode = Isolation.parse(isolation);
        if (workdir != null && !workdir.startsWith("/")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "the working directory must be absolute, got \"" + workdir + "\"");
        }
        Limits limits = Limits.parse(memory, memorySwap, cpus, cpuWeight, pids);
        Trace.mark("run: flags parsed");
        Cli.requireRoot("mini run");
        Trace.mark("run: libc bound, root checked");
        Containers containers = new Containers(Cli.root());
        containers.pruneAbandoned();
        ContainerRuntime runtime = new ContainerRuntime(containers);
        // The init stage's JVM starts now and waits, while this one finds the image and makes the cgroup.
        Container container = runtime.spawn(name, List.copyOf(Namespaces.CONTAINER), remove, Stdio.inherit());
        Trace.mark("run: init stage spawned");
        try {
            ImageStore store = ImageStore.open(Cli.root());
            Image image = resolveImage(store, imageRef);
            Trace.mark("run: image resolved");
            ContainerSpec.ProcessSpec process = process(image.config());
            List<Path> layers = image.layerDirs();
            Path rootDirectory = null;
            if (!RootFilesystem.overlayAvailable()) {
                // no overlayfs: the container gets its own flattened copy of the layers
                rootDirectory = Path.of(container.state().bundle(), "rootfs");
                Flattener.flatten(store, image, rootDirectory, warning -> System.err.println("mini: " + warning));
                layers = List.of();
            }
            runtime.configure(container, new ContainerConfig(name, image.reference(), layers, rootDirectory, process,
                    hostname, List.copyOf(Namespaces.CONTAINER), mode, remove));
            // capabilities, seccomp, masked paths and the user, which the init stage applies
            SpecFile.write(Path.of(container.state().bundle()).resolve(InitStage.SECURITY_FILE),
                    security.options(image.config().user()).applyTo(securitySpec(process)));
        } catch (RuntimeException e) {
            runtime.abandon(container);
            throw e;
        }
        ContainerCgroup cgroup = joinCgroup(runtime, container, limits);
        if (cgroup != null && !security.privileged) {
            // v1 devices controller: only the default nodes open; v2 would need a BPF program (not loaded)
            DevicesController.apply(cgroup.cgroup(), DevicesController.DEFAULT_RULES);
        }
        Trace.mark("run: cgroup ready");
        SignalForwarder forwarder = SignalForwarder.install(container, stopTimeout);
        int code = Cli.RUNTIME_ERROR;
        try {
            container.start();
            Trace.mark("run: command started (execve done)");
            code = container.await();
            Trace.mark("run: command ended");
        } catch (ContainerException e) {
            container.await();
            System.err.println("mini: " + e.getMessage());
            code = e.exitCode();
        } finally {
            forwarder.uninstall();
            reportAndRemove(cgroup, code);
        }
        runtime.finish(container, code);
        Trace.mark("run: cleaned up");
        return code;
    }

    // tag::cgroup[]
    /** Before the start signal: the container's cgroup, which the init stage joins when started. */
    private ContainerCgroup joinCgroup(ContainerRuntime runtime, Container container, Limits limits) {
        Containers containers = runtime.containers();
        try {
            return ContainerCgroup.create(cgroupDriver, container.state().id(), limits,
                    id -> containers.find(id).map(s -> !ContainerState.STOPPED.equals(s.status())
                            && Containers.alive(s.ownerPid())).orElse(false));
        } catch (CgroupException e) {
            if (limits.isEmpty() && cgroupDriver == null && !statsOnExit) {
                // nothing was asked of the cgroup: run without one (e.g. inside another container)
                System.err.println("mini: warning: running without a cgroup (no limits, no stats): " + e.getMessage());
                return null;
            }
            container.kill(9); // the init stage is still waiting for its start signal
            container.await();
            runtime.finish(container, Cli.RUNTIME_ERROR);
            throw new Cli.CliError(Cli.RUNTIME_ERROR, e.getMessage());
        }
    }

    /** After the command: say why it died if the OOM killer did it, print stats if asked, remove the cgroup. */
    private void reportAndRemove(ContainerCgroup cgroup, int code) {
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
            cgroup.close();
        } catch (CgroupException e) {
            System.err.println("mini: " + e.getMessage());
        }
    }
    // end::cgroup[]

    /** The OCI spec whose security parts SecurityOptions fills in. */
    private static dev.minidocker.container.spec.ContainerSpec securitySpec(ContainerSpec.ProcessSpec p) {
        return new dev.minidocker.container.spec.ContainerSpec(dev.minidocker.container.spec.ContainerSpec.OCI_VERSION,
                new dev.minidocker.container.spec.ContainerSpec.Process(false, null, null, p.args(), p.env(), p.cwd(),
                        null, null, null, null, null, null), null, null, null, null, null, null, null);
    }

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
    ContainerSpec.ProcessSpec process(ImageConfig cfg) {
        List<String> args = new ArrayList<>(nullToEmpty(cfg.entrypoint()));
        args.addAll(command.isEmpty() ? nullToEmpty(cfg.cmd()) : command);
        if (args.isEmpty()) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "no command given and image \"" + imageRef + "\" has none: add one after the image name");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
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
        vars.putIfAbsent("HOME", "/root");
        List<String> envList = new ArrayList<>();
        vars.forEach((k, v) -> envList.add(k + "=" + v));
        String cwd = workdir != null ? workdir
                : (cfg.workingDir() == null || cfg.workingDir().isEmpty() ? "/" : cfg.workingDir());
        return new ContainerSpec.ProcessSpec(args, envList, cwd);
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
