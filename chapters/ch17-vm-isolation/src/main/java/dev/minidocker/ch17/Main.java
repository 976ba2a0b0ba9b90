package dev.minidocker.ch17;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.vm.GuestInit;
import dev.minidocker.container.vm.ImageInitramfs;
import dev.minidocker.container.vm.VmContainer;
import dev.minidocker.lab.CgroupMode;
import dev.minidocker.lab.Lab;
import dev.minidocker.lab.LabOptions;
import dev.minidocker.vmm.kvm.KvmKind;

/**
 * Chapter 17: the third way. One image, run twice: as a namespace container on the host's
 * kernel (--isolation pivot_root), then as a VM-isolated container (--isolation vm) whose
 * boundary is a Linux guest of its own, the image its initramfs. The demo shows what the guest
 * is made of and what each way costs: time to the command's output, memory, KSM.
 *
 * <p>Booting Linux needs hardware KVM. On a machine whose /dev/kvm is software-only (kvm_pvm)
 * the demo shows everything up to the boot and says so; {@code --lab} runs it whole inside the
 * lab guest, where KVM is hardware-style.
 */
public final class Main {
    /** What the command reports, both ways: the kernel it runs on, and the RAM that kernel sees. */
    public static final List<String> COMMAND = List.of("sh", "-c",
            "echo \"kernel $(uname -r), $(grep MemTotal /proc/meminfo | tr -s ' '), hostname $(hostname)\"");
    public static final long GUEST_MEMORY = 256L << 20;

    private Main() {
    }

    public static void main(String[] args) {
        boolean viaLab = Arrays.asList(args).contains("--lab");
        Narrator n = Narrator.fromArgs(args);
        if (viaLab && !KvmKind.detect().bootsLinux()) {
            inLab(n);
            return;
        }
        Demos.requireRootOrExplain(n);
        demo(n, Demos.root());
    }

    /** The whole demo once more, in the lab guest: its narration comes back as it printed it. */
    static void inLab(Narrator n) {
        n.title("Chapter 17: The third way: containers whose boundary is a virtual machine");
        n.say("this machine's /dev/kvm is " + KvmKind.detect().description() + ": the demo runs in the lab guest");
        Lab.Outcome o = Lab.fromEnvironment().capture(new LabOptions(CgroupMode.V2, Duration.ofMinutes(10),
                LabOptions.DEFAULT_MEMORY_MIB), Lab.javaCommand(Main.class.getName()));
        System.out.print(o.output().replace("\r\n", "\n"));
        if (o.status() != 0) {
            n.say("the demo in the lab guest ended with status " + o.status() + ": " + o.errors().strip());
            System.exit(o.status());
        }
    }

    public static void demo(Narrator n, Path miniRoot) {
        n.title("Chapter 17: The third way: containers whose boundary is a virtual machine");
        ImageStore store = ImageStore.open(miniRoot);
        Image image = dev.minidocker.container.image.DefaultImages.ensureBusybox(store, new PrintStream(PrintStream.nullOutputStream()));

        n.step("The first way: namespaces on the host's kernel (mini run busybox, --isolation pivot_root)",
                "the container has its own hostname, PIDs and root, but the kernel and its RAM are the host's");
        long t0 = System.nanoTime();
        OneShot.Outcome ns = new OneShot(miniRoot, image, COMMAND).run();
        long nsMillis = (System.nanoTime() - t0) / 1_000_000;
        n.insideLines(ns.stdout());
        n.host("exit status " + ns.exitCode() + ", " + nsMillis + " ms from start to end");

        n.step("The third way, part 1: the image becomes a guest's initramfs, made once and kept in the store",
                "its layers applied (whiteouts delete), owners and modes kept, plus /.mini/init and a static busybox for it");
        Path archive = ImageInitramfs.ensure(store, image, new PrintStream(PrintStream.nullOutputStream()));
        n.host(store.root().relativize(archive) + ": " + size(archive) + " KiB (gzip, cpio newc), named by the layers' digests");

        n.step("Part 2: the command for the guest's init, /.mini/run.conf, in a second archive appended to the first",
                "every value in single quotes: the guest's shell expands nothing in it");
        GuestInit.VmProcess process = new GuestInit.VmProcess(COMMAND, List.of("PATH=/bin:/usr/bin", "HOME=/root"), "/", "vmbox", 0, 0);
        GuestInit.runConfig(process).lines().filter(l -> !l.startsWith("#")).forEach(l -> n.host("  " + l));

        n.step("Part 3: boot it (mini run --isolation vm busybox): mini-vmm, the guest's own kernel, the command on COM2",
                "the kernel's console (COM1) is kept apart; the command's status comes back through the debug-exit port");
        KvmKind kvm = KvmKind.detect();
        if (!kvm.bootsLinux()) {
            n.say("This machine's /dev/kvm is " + kvm.description() + ": Linux would not boot in useful time.");
            n.say("Run the chapter with --lab (./mini chapter 17 --lab) to boot inside the lab guest, or on a machine with KVM.");
            n.conclude("a VM-isolated container is an image turned into an initramfs and a command handed to a guest's init");
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        t0 = System.nanoTime();
        VmContainer.Outcome vm = VmContainer.boot(new VmContainer.Request(store, image, process, GUEST_MEMORY, null, false),
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        long vmMillis = (System.nanoTime() - t0) / 1_000_000;
        n.guestLines(out.toString(StandardCharsets.UTF_8));
        n.host("exit status " + vm.status() + ", " + vmMillis + " ms from start to end");

        n.step("What the boundary cost", "a kernel boot per container, and RAM that each guest holds on its own");
        n.host(String.format("time: namespaces %d ms, VM %d ms (%.1f times); the guest's init ran %.2f s after the VM was created",
                nsMillis, vmMillis, (double) vmMillis / Math.max(1, nsMillis), vm.initSeconds()));
        if ("1".equals(System.getenv("MINI_LAB"))) {
            n.say("(in the lab guest the CPU is emulated: the namespace container's init stage is a second JVM, whose start costs");
            n.say(" seconds there; bench/vm-isolation.sh puts both beside qemu booting the same kernel and initramfs)");
        }
        n.host(vm.memory().describe());
        n.host("KSM: /sys/kernel/mm/ksm/run = " + ksm("run") + ", pages_sharing = " + ksm("pages_sharing")
                + " (bench/vm-isolation.sh turns it on for N guests and measures what it wins back)");
        n.conclude("the VM boundary costs a kernel boot and a guest's RAM per container; KSM wins back the pages the guests share");
    }

    private static long size(Path p) {
        try {
            return Files.size(p) >> 10;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static String ksm(String file) {
        try {
            return Files.readString(Path.of("/sys/kernel/mm/ksm", file)).strip();
        } catch (java.io.IOException e) {
            return "(no KSM)";
        }
    }
}
