package dev.minidocker.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The lab guest's initramfs: a static busybox (the shell and every tool init needs), the
 * kernel modules in load order, and {@code /init}, the script that turns the host's root into
 * the guest's root and runs the command (src/main/resources/dev/minidocker/lab/init).
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

    /** The busybox to put in the guest: it must be static, for the initramfs has no libc. */
    public static Path busybox() {
        Path busybox = Tools.find("busybox").orElseThrow(() -> new LabException(
                "busybox not found; install it with: apt-get install busybox-static"));
        try {
            busybox = busybox.toRealPath();
            if (!isStatic(busybox)) {
                throw new LabException(busybox + " is linked dynamically; install it with: apt-get install busybox-static");
            }
        } catch (IOException e) {
            throw new LabException("cannot read " + busybox + ": " + e.getMessage(), e);
        }
        return busybox;
    }

    /** A static ELF executable has no PT_INTERP program header (no dynamic loader to run it). */
    static boolean isStatic(Path elf) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(elf)) {
            head = in.readNBytes(64 * 1024);
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head.length < 64 || b.getInt(0) != 0x464c457f || head[4] != 2) {
            return false;
        }
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long header = phoff + (long) i * phentsize;
            if (header + 4 > head.length) {
                return false;
            }
            if (b.getInt((int) header) == 3) { // PT_INTERP
                return false;
            }
        }
        return true;
    }
}
