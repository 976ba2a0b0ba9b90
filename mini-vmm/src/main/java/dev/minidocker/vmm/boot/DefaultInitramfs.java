package dev.minidocker.vmm.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.minidocker.lab.InitramfsWriter;
import dev.minidocker.lab.LabInitramfs;

/**
 * The initramfs {@code mini vm boot} uses when given none: a static busybox (every tool as one
 * binary), {@code /init} (src/main/resources/.../boot/init) and, with --exec, the command in
 * {@code /exec}. Built in memory for each boot: it is only busybox plus a few hundred bytes.
 */
public final class DefaultInitramfs {
    /** The line init prints once it runs: the end of the kernel's boot. */
    public static final String INIT_BANNER = "mini-vmm: init running";
    /** init prints "@@MINI-VM-EXIT status@@" after the --exec command. */
    public static final String EXIT_MARKER = "@@MINI-VM-EXIT ";

    private DefaultInitramfs() {
    }

    public static String initScript() {
        try (InputStream in = DefaultInitramfs.class.getResourceAsStream("init")) {
            if (in == null) {
                throw new IllegalStateException("the boot init script is missing from the jar; rebuild mini-vmm");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the archive to a file, for another VMM to boot the same (bench/vm-boot.sh): FILE [CMD]. */
    public static void main(String[] args) throws IOException {
        java.nio.file.Files.write(Path.of(args[0]), build(args.length > 1 ? args[1] : null));
    }

    /** The archive (cpio newc, gzip); exec is the --exec command or null for a shell. */
    public static byte[] build(String exec) {
        Path busybox = LabInitramfs.busybox();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 << 20);
        try (InitramfsWriter w = new InitramfsWriter(bytes)) {
            for (String dir : new String[] {"dev", "proc", "sys", "tmp", "bin", "sbin", "usr/bin", "usr/sbin", "root"}) {
                w.directory(dir, 0755);
            }
            w.characterDevice("dev/console", 0600, 5, 1);
            w.characterDevice("dev/null", 0666, 1, 3);
            w.characterDevice("dev/ttyS0", 0600, 4, 64);
            w.file("bin/busybox", 0755, busybox);
            w.symlink("bin/sh", "busybox");
            w.file("init", 0755, initScript());
            if (exec != null) {
                w.file("exec", 0644, exec + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
