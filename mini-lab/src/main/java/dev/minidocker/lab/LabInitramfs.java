package dev.minidocker.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import dev.minidocker.vmm.boot.InitramfsWriter;

/**
 * The lab guest's initramfs: a static busybox (the shell and every tool init needs, found by
 * mini-vmm's {@link dev.minidocker.vmm.boot.Busybox}), the kernel modules in load order, and
 * {@code /init}, the script that turns the host's root into the guest's root and runs the
 * command (src/main/resources/dev/minidocker/lab/init).
 */
public final class LabInitramfs {
    static final String INIT_RESOURCE = "init";
    static final String STAGE2_RESOURCE = "stage2";

    private LabInitramfs() {
    }

    /** The init script, as shipped in this jar. */
    public static String initScript() {
        return resource(INIT_RESOURCE);
    }

    /** The script PID 1 runs after switch_root: runs the command, reports its status, powers off. */
    public static String stage2Script() {
        return resource(STAGE2_RESOURCE);
    }

    private static String resource(String name) {
        try (InputStream in = LabInitramfs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new LabException("the lab's " + name + " script is missing from the jar; rebuild mini-lab");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot read the lab's init script: " + e.getMessage(), e);
        }
    }

    /** Writes the initramfs; {@code required} must load, {@code kvm} may fail (no svm, no /dev/kvm). */
    public static void write(OutputStream out, Path busybox, List<KernelModules.Module> required,
            List<KernelModules.Module> kvm) throws IOException {
        try (InitramfsWriter w = new InitramfsWriter(out)) {
            for (String dir : List.of("dev", "proc", "sys", "tmp", "host", "scratch", "newroot", "lab")) {
                w.directory(dir, 0755);
            }
            w.characterDevice("dev/console", 0600, 5, 1);
            w.characterDevice("dev/null", 0666, 1, 3);
            w.file("bin/busybox", 0755, busybox);
            w.file("init", 0755, initScript());
            w.file("lab/stage2", 0755, stage2Script());
            for (KernelModules.Module m : required) {
                w.file("lib/modules/" + m.fileName(), 0644, m.contents());
            }
            for (KernelModules.Module m : kvm) {
                if (!required.contains(m)) {
                    w.file("lib/modules/" + m.fileName(), 0644, m.contents());
                }
            }
            w.file("lib/modules/required", 0644, lines(required));
            w.file("lib/modules/kvm", 0644, lines(kvm.stream().filter(m -> !required.contains(m)).toList()));
        }
    }

    private static String lines(List<KernelModules.Module> modules) {
        return modules.stream().map(m -> m.fileName() + "\n").collect(Collectors.joining());
    }
}
