package dev.minidocker.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.minidocker.vmm.boot.Busybox;
import dev.minidocker.vmm.kvm.VmmException;

/**
 * Prepares what the guest boots, once, and keeps it under the lab's cache directory:
 * <pre>
 *   debian/linux-image-RELEASE_VERSION_amd64.deb   fetched with apt-get download (kept for rebuilds)
 *   kernel                                          the Debian package last prepared
 *   RELEASE/vmlinuz                                 the kernel image (bzImage)
 *   RELEASE/vmlinux                                 the same kernel unpacked, booted directly
 *   RELEASE/initramfs-KEY.cpio.gz                   busybox + modules + init; KEY changes with them
 * </pre>
 * The host's own kernel is used instead when /boot has a readable image for it.
 */
public final class LabCache {
    private final Path cache;
    private final PrintStream progress;

    public LabCache(Path cache, PrintStream progress) {
        this.cache = cache;
        this.progress = progress;
    }

    /** The kernel and initramfs to boot, preparing them first if needed (with progress lines). */
    public LabImage prepare() {
        // two runs at once (parallel test forks, two terminals) must not unpack into the same place
        try {
            Files.createDirectories(cache);
            try (FileChannel lock = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lock.lock()) {
                return prepareLocked();
            }
        } catch (IOException e) {
            throw new LabException("cannot use the lab's cache " + cache + ": " + e.getMessage(), e);
        }
    }

    private LabImage prepareLocked() {
        Path busybox = busybox();
        String key = key(busybox);
        Optional<Kernel> host = Kernel.host();
        if (host.isPresent()) {
            Kernel kernel = host.get();
            Path initramfs = cache.resolve("host-" + kernel.version()).resolve(initramfsName(key));
            try {
                if (!Files.isRegularFile(initramfs)) {
                    build(kernel, busybox, initramfs);
                }
                return new LabImage(kernel.version(), bootable(kernel.vmlinuz(), initramfs.getParent()), initramfs);
            } catch (LabException e) {
                say("the host's kernel cannot run the lab (" + e.getMessage() + "); using Debian's");
            }
        }
        return prepareDebian(busybox, key);
    }

    /** The host's static busybox, as mini vm boot's default initramfs finds it too. */
    private static Path busybox() {
        try {
            return Busybox.find();
        } catch (VmmException e) {
            throw new LabException(e.getMessage(), e);
        }
    }

    private LabImage prepareDebian(Path busybox, String key) {
        Path remembered = cache.resolve("kernel");
        String pkg = readIfExists(remembered);
        if (pkg != null) {
            LabImage image = image(pkg, key);
            if (Files.isRegularFile(image.kernel()) && Files.isRegularFile(image.initramfs())) {
                return bootable(image);
            }
        }
        long start = System.nanoTime();
        if (pkg == null) {
            Tools.require("apt-get", "apt (the lab fetches Debian's kernel package with apt-get)");
            pkg = Kernel.debianPackage();
        }
        LabImage image = image(pkg, key);
        String release = Kernel.releaseOf(pkg);
        Path deb = fetch(pkg);
        Path tree = image.kernel().resolveSibling("unpacked.tmp");
        try {
            deleteTree(tree);
            say("unpacking " + deb.getFileName() + " (dpkg-deb -x)");
            Files.createDirectories(tree);
            Tools.output(List.of("dpkg-deb", "-x", deb.toString(), tree.toString()), "dpkg");
            Path vmlinuz = tree.resolve("boot").resolve("vmlinuz-" + release);
            if (!Files.isRegularFile(vmlinuz)) {
                throw new LabException(deb.getFileName() + " has no boot/vmlinuz-" + release);
            }
            // the same kernel again (only the initramfs changed): keep its unpacked vmlinux
            if (!Files.isRegularFile(image.kernel()) || Files.mismatch(vmlinuz, image.kernel()) != -1) {
                Files.copy(vmlinuz, image.kernel(), StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(image.kernel().resolveSibling("vmlinux"));
                Files.deleteIfExists(image.kernel().resolveSibling("vmlinux.unavailable"));
            }
            build(new Kernel(release, image.kernel(), tree.resolve("lib/modules").resolve(release), pkg),
                    busybox, image.initramfs());
            Files.writeString(remembered, pkg + "\n");
        } catch (IOException e) {
            throw new LabException("cannot prepare the lab in " + cache + ": " + e.getMessage(), e);
        } finally {
            deleteTree(tree);
        }
        image = bootable(image);
        say(String.format("ready in %.1f s (cached in %s)", (System.nanoTime() - start) / 1e9, cache));
        return image;
    }

    private LabImage bootable(LabImage image) {
        return new LabImage(image.kernelRelease(), bootable(image.kernel(), image.kernel().getParent()), image.initramfs());
    }

    /**
     * The kernel qemu should start: vmlinux unpacked from the bzImage once (its decompressor
     * takes seconds under TCG), or the bzImage when it cannot be unpacked or has no PVH entry.
     */
    private Path bootable(Path bzImage, Path dir) {
        Path vmlinux = dir.resolve("vmlinux");
        Path cannot = dir.resolve("vmlinux.unavailable");
        if (Files.isRegularFile(vmlinux)) {
            return vmlinux;
        }
        if (Files.exists(cannot)) {
            return bzImage;
        }
        try {
            Files.createDirectories(dir);
            say("unpacking vmlinux from " + bzImage.getFileName() + " (qemu starts it directly, no decompressor)");
            if (Vmlinux.extract(bzImage, vmlinux)) {
                return vmlinux;
            }
            Files.writeString(cannot, "no PVH entry or unknown compression: qemu boots the bzImage\n");
        } catch (IOException | LabException e) {
            say("cannot unpack vmlinux (" + e.getMessage() + "); booting the bzImage");
        }
        return bzImage;
    }

    private LabImage image(String pkg, String key) {
        Path dir = cache.resolve(Kernel.releaseOf(pkg));
        return new LabImage(Kernel.releaseOf(pkg), dir.resolve("vmlinuz"), dir.resolve(initramfsName(key)));
    }

    /** The package file in debian/, downloaded with apt-get when it is not there yet. */
    private Path fetch(String pkg) {
        Path debs = cache.resolve("debian");
        try {
            Files.createDirectories(debs);
            Optional<Path> cached = findDeb(debs, pkg);
            if (cached.isPresent()) {
                return cached.get();
            }
            say("fetching Debian's kernel " + pkg + " (apt-get download, about 70 MB)");
            Tools.output(List.of("apt-get", "download", pkg), "apt", debs);
            return findDeb(debs, pkg).orElseThrow(() -> new LabException(
                    "apt-get download " + pkg + " left no package in " + debs));
        } catch (IOException e) {
            throw new LabException("cannot write " + debs + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> findDeb(Path dir, String pkg) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, pkg + "_*.deb")) {
            for (Path file : files) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** Resolves the modules of {@code kernel} and writes the initramfs, atomically. */
    private void build(Kernel kernel, Path busybox, Path initramfs) {
        KernelModules modules = new KernelModules(kernel.modules());
        List<KernelModules.Module> required = modules.loadOrder(KernelModules.REQUIRED);
        List<KernelModules.Module> kvm = modules.loadOrder(KernelModules.KVM);
        say("building the initramfs for " + kernel.version() + ": busybox, init and "
                + names(required, kvm) + builtinNote(modules));
        try {
            Files.createDirectories(initramfs.getParent());
            removeOldInitramfs(initramfs.getParent());
            Path partial = initramfs.resolveSibling(initramfs.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(partial)) {
                LabInitramfs.write(out, busybox, required, kvm);
            }
            Files.move(partial, initramfs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write " + initramfs + ": " + e.getMessage(), e);
        }
    }

    private static String names(List<KernelModules.Module> required, List<KernelModules.Module> kvm) {
        return Stream.concat(required.stream(), kvm.stream()).map(KernelModules.Module::name).distinct()
                .reduce((a, b) -> a + " " + b).orElse("no modules");
    }

    private static String builtinNote(KernelModules modules) {
        List<String> builtin = Stream.concat(KernelModules.REQUIRED.stream(), KernelModules.KVM.stream())
                .filter(modules::isBuiltin).toList();
        return builtin.isEmpty() ? "" : " (built in: " + String.join(" ", builtin) + ")";
    }

    private static void removeOldInitramfs(Path dir) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "initramfs-*")) {
            for (Path file : old) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Changes whenever what goes into the initramfs changes: the init scripts, the module lists,
     * or the busybox binary.
     */
    static String key(Path busybox) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(LabInitramfs.initScript().getBytes(StandardCharsets.UTF_8));
            sha.update(LabInitramfs.stage2Script().getBytes(StandardCharsets.UTF_8));
            sha.update((KernelModules.REQUIRED + " " + KernelModules.KVM).getBytes(StandardCharsets.UTF_8));
            sha.update((busybox + " " + Files.size(busybox) + " " + Files.getLastModifiedTime(busybox))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new LabException("cannot fingerprint the initramfs inputs: " + e.getMessage(), e);
        }
    }

    private static String initramfsName(String key) {
        return "initramfs-" + key + ".cpio.gz";
    }

    private void say(String line) {
        progress.println("mini lab: " + line);
        progress.flush();
    }

    private static String readIfExists(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
