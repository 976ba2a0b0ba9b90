package dev.minidocker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.minidocker.container.cgroup.ByteSize;
import dev.minidocker.container.engine.ImageUser;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.vm.GuestInit;
import dev.minidocker.container.vm.VmContainer;

/**
 * {@code mini run --isolation vm}: the same image and flags, but the command runs in a Linux
 * guest of its own (mini-vmm) instead of in namespaces of the host's kernel. The flags that
 * shape a namespace container's view of the host (volumes, ports, networks, capabilities) have
 * no meaning yet across a VM boundary: they are refused, one line each, not silently dropped.
 */
final class VmIsolation {
    /** Guest RAM when --memory is not given, as {@code mini vm boot}. */
    static final String DEFAULT_MEMORY = "256m";

    private VmIsolation() {
    }

    static int run(RunCommand c) {
        refuseUnsupported(c);
        long memory = memory(c.memory);
        if (c.cpus != null && !c.cpus.equals("1")) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--cpus " + c.cpus + ": mini-vmm runs one vCPU, "
                    + "so --isolation vm supports only --cpus 1 for now");
        }
        Cli.requireRoot("mini run");
        VmContainer.requireHardwareKvm(dev.minidocker.vmm.kvm.KvmKind.detect());
        ImageStore store = ImageStore.open(Cli.root());
        Image image = RunCommand.resolveImage(store, c.imageRef);
        RunCommand.Process p = c.process(image.config());
        String user = c.security.user != null ? c.security.user : image.config().user();
        ContainerSpec.User u = ImageUser.resolve(user, image.layerDirs());
        String hostname = c.hostname != null ? c.hostname : HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
        GuestInit.VmProcess process = new GuestInit.VmProcess(p.args(), p.env(), p.cwd(), hostname, u.uid(), u.gid());
        Path kernel = c.kernel;
        return VmContainer.run(new VmContainer.Request(store, image, process, memory, kernel, c.statsOnExit),
                System.in, System.out, System.err);
    }

    static long memory(String flag) {
        long bytes;
        try {
            bytes = ByteSize.parse(flag == null ? DEFAULT_MEMORY : flag);
        } catch (IllegalArgumentException e) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--memory " + flag + ": " + e.getMessage());
        }
        if (bytes < (64L << 20) || bytes % 4096 != 0) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--memory " + flag + ": a VM needs at least 64m (whole 4 KiB pages) "
                    + "to boot Linux with the image in RAM");
        }
        return bytes;
    }

    /** The flags a VM-isolated container does not support yet, each named. */
    static void refuseUnsupported(RunCommand c) {
        List<String> refused = new ArrayList<>();
        if (c.detach) {
            refused.add("-d");
        }
        if (c.name != null) {
            refused.add("--name (a VM-isolated container is not kept in mini ps)");
        }
        if (!c.publish.isEmpty()) {
            refused.add("-p");
        }
        if (!c.volumes.isEmpty() || !c.mounts.isEmpty() || !c.tmpfs.isEmpty()) {
            refused.add("-v/--mount/--tmpfs");
        }
        if (c.network != null && !c.network.equals("none")) {
            refused.add("--network " + c.network + " (the guest has no network device: it runs as --network none)");
        }
        if (c.readOnly) {
            refused.add("--read-only");
        }
        if (c.init) {
            refused.add("--init");
        }
        if (!c.restart.equals("no")) {
            refused.add("--restart");
        }
        if (c.memorySwap != null || c.cpuWeight != null || c.pids != null || c.cgroupDriver != null) {
            refused.add("--memory-swap/--cpu-weight/--pids/--cgroup-driver (the VM's size is --memory)");
        }
        if (!c.security.capAdd.isEmpty() || !c.security.capDrop.isEmpty() || c.security.privileged
                || !c.security.securityOpt.isEmpty() || !c.security.groupAdd.isEmpty()) {
            refused.add("--cap-add/--cap-drop/--privileged/--security-opt/--group-add");
        }
        if (!refused.isEmpty()) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "--isolation vm does not support " + String.join(", ", refused)
                    + " yet: drop it, or use --isolation pivot_root");
        }
    }
}
