package dev.minidocker.vmm.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The initramfs {@code mini vm boot} uses when given none: a static busybox (every tool as one
 * binary), {@code /init} (src/main/resources/.../boot/init) and, with --exec, the command in
 * {@code /exec}. The busybox-and-init archive is built once and kept in the checkout's
 * {@code .mini/vm/} (compressing busybox is most of the work), the checkout being where
 * {@code ./mini} ($MINI_HOME) or Maven ($MINI_PROJECT_ROOT) says; the command goes in a second,
 * tiny archive appended to it: the kernel unpacks concatenated archives one after the other.
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
        Files.write(Path.of(args[0]), build(args.length > 1 ? args[1] : null));
    }

    /** The initramfs (cpio newc, gzip); exec is the --exec command or null for a shell. */
    public static byte[] build(String exec) {
        Path busybox = Busybox.find();
        byte[] base = cached(busybox);
        if (exec == null) {
            return base;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(base.length + 512);
        bytes.writeBytes(base);
        try (InitramfsWriter w = new InitramfsWriter(bytes)) {
            w.file("exec", 0644, exec + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The busybox-and-init archive from the cache, made first if needed; in memory only when there is no cache to write. */
    static byte[] cached(Path busybox) {
        Optional<Path> cache = cacheDirectory(System.getenv());
        if (cache.isEmpty()) {
            return base(busybox);
        }
        try {
            Path dir = cache.get();
            Path file = dir.resolve("initramfs-" + key(busybox) + ".cpio.gz");
            if (Files.isRegularFile(file)) {
                return Files.readAllBytes(file);
            }
            byte[] archive = base(busybox);
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "initramfs", ".tmp");
            Files.write(partial, archive);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return archive;
        } catch (IOException e) {
            return base(busybox);   // a read-only checkout: build it for this boot only
        }
    }

    /** {@code <checkout>/.mini/vm}, the checkout named by the launcher or by Maven; none outside them. */
    static Optional<Path> cacheDirectory(Map<String, String> env) {
        for (String variable : new String[] {"MINI_HOME", "MINI_PROJECT_ROOT"}) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return Optional.of(Path.of(value, ".mini", "vm").toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** Changes with the init script and the busybox binary. */
    static String key(Path busybox) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(initScript().getBytes(StandardCharsets.UTF_8));
            sha.update((busybox + " " + Files.size(busybox) + " " + Files.getLastModifiedTime(busybox)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** busybox, the device nodes init's first output needs, and /init. */
    static byte[] base(Path busybox) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
