package dev.minidocker.container.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageException;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.vmm.boot.DefaultKernel;
import dev.minidocker.vmm.boot.LinuxBoot;
import dev.minidocker.vmm.device.Doorbell;
import dev.minidocker.vmm.device.Uart8250;
import dev.minidocker.vmm.kvm.KvmKind;
import dev.minidocker.vmm.machine.RunResult;
import dev.minidocker.vmm.memory.GuestMemory;

/**
 * A container whose boundary is a virtual machine ({@code mini run --isolation vm}), the way
 * Kata Containers and Firecracker run them: the image's root becomes the initramfs of a Linux
 * guest booted by mini-vmm, the command runs there under the guest's own kernel, its stdout
 * and stderr come back on two serial ports of their own (COM2, COM3) while the kernel's console
 * on COM1 is kept apart (shown only when the boot fails), and its status ends the VM through
 * the debug-exit port. The VM lives in this process: when mini ends, so does the guest.
 */
public final class VmContainer {
    /** More kernel command line: no boot chatter, and our init, not whatever /init the image has. */
    public static final String CMDLINE = "quiet rdinit=" + GuestInit.PATH;

    /** kernel: null for the one {@code mini vm boot} uses. */
    public record Request(ImageStore store, Image image, GuestInit.VmProcess process, long memoryBytes, Path kernel,
                          boolean statsOnExit) {
    }

    private VmContainer() {
    }

    /**
     * Writes the initrd a run would boot, for another VMM to boot the same (bench/vm-isolation.sh):
     * FILE IMAGE CMD..., the store from $MINI_ROOT (default /var/lib/mini-docker), as root, with
     * the image's PATH, / as working directory.
     */
    public static void main(String[] args) throws IOException {
        String root = System.getenv().getOrDefault("MINI_ROOT", "/var/lib/mini-docker");
        ImageStore store = ImageStore.open(Path.of(root.isEmpty() ? "/var/lib/mini-docker" : root));
        Image image = store.find(args[1]).orElseThrow(() -> new ImageException("no image " + args[1] + " in " + root));
        GuestInit.VmProcess p = new GuestInit.VmProcess(java.util.List.of(args).subList(2, args.length),
                image.config().env() == null ? java.util.List.of() : image.config().env(), "/", "qemu", 0, 0);
        Files.write(Path.of(args[0]), initrd(new Request(store, image, p, 0, null, false), System.err));
    }

    /** Refuses at once where Linux cannot boot in useful time, with what to do instead. */
    public static void requireHardwareKvm(KvmKind kind) {
        if (kind == KvmKind.MISSING) {
            throw new VmIsolationException("--isolation vm needs KVM and /dev/kvm is missing: load kvm_intel or kvm_amd, "
                    + "or run it in the lab: ./mini lab run -- ./mini run --isolation vm ...");
        }
        if (!kind.bootsLinux()) {
            throw new VmIsolationException("--isolation vm needs hardware KVM, and /dev/kvm here is " + kind.description()
                    + ", which does not boot Linux in useful time: run it in the lab (./mini lab run -- ./mini run "
                    + "--isolation vm ...) or on a machine with hardware virtualisation");
        }
    }

    /** How the run went: the command's status, the guest's memory at the end, and when init ran and the guest ended. */
    public record Outcome(int status, GuestMemory.Usage memory, double initSeconds, double endSeconds) {
        public String describe() {
            return String.format("%s; init ran %.2f s after the VM was created, the guest ended at %.2f s",
                    memory.describe(), initSeconds, endSeconds);
        }
    }

    /** Boots the guest, runs the command, returns its exit status (and with --stats-on-exit prints the outcome). */
    public static int run(Request r, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        Outcome o = boot(r, stdin, stdout, stderr);
        if (r.statsOnExit()) {
            stderr.println("mini: stats: " + o.describe());
        }
        return o.status();
    }

    // tag::run[]
    /** The guest's life: kernel, the image's initramfs plus this run's command, two more serial ports, boot. */
    public static Outcome boot(Request r, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        requireHardwareKvm(KvmKind.detect());
        Path kernel = r.kernel() != null ? r.kernel() : DefaultKernel.find(stderr);
        byte[] initrd = initrd(r, stderr);
        LinuxBoot.Options options = new LinuxBoot.Options(kernel, null, CMDLINE, r.memoryBytes(), null, null);
        // the kernel's console: kept, and shown only if the boot fails (MINI_VM_CONSOLE=1 shows it always)
        OutputStream console = "1".equals(System.getenv("MINI_VM_CONSOLE")) ? stderr : OutputStream.nullOutputStream();
        LinuxBoot.Result result = LinuxBoot.boot(options, initrd, console, null, machine -> {
            Uart8250 com2 = machine.addSerialPort(Uart8250.COM2, Uart8250.IRQ_COM2, "com2 (stdin, stdout)", stdout);
            machine.addSerialPort(Uart8250.COM3, Uart8250.IRQ_COM3, "com3 (stderr)", stderr);
            if (stdin != null) {
                Doorbell ready = new Doorbell();
                machine.ioBus().register(Doorbell.PORT, 1, "stdin doorbell", ready);
                machine.connectInput(com2, stdin, ready::await);
            }
        });
        stdout.flush();
        stderr.flush();
        if (result.end() != RunResult.End.DEBUG_EXIT) {
            throw new VmIsolationException("the guest ended without the command's status: " + result.reason());
        }
        return new Outcome(result.status(), result.memory(), seconds(result.started(), result.init()),
                seconds(result.started(), result.ended()));
    }
    // end::run[]

    /** The image's cached archive, then the small one with this run's command: the kernel unpacks both. */
    static byte[] initrd(Request r, PrintStream progress) {
        Path image = ImageInitramfs.ensure(r.store(), r.image(), progress);
        byte[] run = GuestInit.runArchive(r.process());
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Files.size(image) + run.length);
            Files.copy(image, bytes);
            bytes.writeBytes(run);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new ImageException("cannot read the VM's initramfs " + image + ": " + e.getMessage());
        }
    }

    private static double seconds(long from, long to) {
        return to == 0 ? Double.NaN : (to - from) / 1e9;
    }
}
