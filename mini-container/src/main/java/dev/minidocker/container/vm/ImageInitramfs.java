package dev.minidocker.container.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.Flattener;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageException;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.Io;
import dev.minidocker.vmm.boot.Busybox;
import dev.minidocker.vmm.boot.InitramfsWriter;

/**
 * An image's root as an initramfs, the guest's whole file system under {@code --isolation vm}:
 * the layers applied in order (whiteouts delete, as for a flattened root), every file with its
 * owner and mode, then the guest's init and a static busybox under {@code /.mini}. Made once
 * per image and kept in the store at {@code vm/initramfs/KEY.cpio.gz}, KEY a digest of the
 * layers' diff IDs, the init script and busybox: content-addressed like the layers themselves.
 */
public final class ImageInitramfs {
    /** Changes when the archive's layout changes, so older cached archives are not reused. */
    static final String FORMAT = "mini vm initramfs 1";

    private ImageInitramfs() {
    }

    /** The cached archive for image, made first if missing (with a progress line on progress). */
    public static Path ensure(ImageStore store, Image image, PrintStream progress) {
        Path busybox = Busybox.find();
        Path dir = store.root().resolve("vm").resolve("initramfs");
        Path archive;
        try {
            archive = dir.resolve(key(store.diffIds(image), GuestInit.script(), busybox) + ".cpio.gz");
            if (Files.isRegularFile(archive)) {
                return archive;
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ImageException("cannot prepare " + dir + ": " + Io.describe(e));
        }
        progress.println("mini: making the VM's initramfs from " + image.reference() + " (once per image)");
        Path work = dir.resolve("tmp-" + ProcessHandle.current().pid());
        // a SIGTERM meanwhile must not leave a half-flattened root behind
        Thread cleanUp = new Thread(() -> Io.deleteTreeQuietly(work));
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            Io.deleteTreeQuietly(work);
            Path root = work.resolve("root");
            Flattener.flatten(store, image, root, warning -> progress.println("mini: " + warning));
            Path partial = work.resolve("initramfs.partial");
            try (OutputStream out = Files.newOutputStream(partial); InitramfsWriter w = new InitramfsWriter(out)) {
                write(root, w);
                addInit(w, busybox);
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return archive;
        } catch (IOException e) {
            throw new ImageException("making the initramfs of " + image.reference() + ": " + Io.describe(e));
        } finally {
            Io.deleteTreeQuietly(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException e) {
                // shutting down already: the hook does it
            }
        }
    }

    static String key(List<Digest> diffIds, String initScript, Path busybox) throws IOException {
        MessageDigest sha = Digest.newSha256();
        sha.update((FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
        for (Digest d : diffIds) {
            sha.update((d + "\n").getBytes(StandardCharsets.UTF_8));
        }
        sha.update(initScript.getBytes(StandardCharsets.UTF_8));
        sha.update((busybox + " " + Files.size(busybox) + " " + Files.getLastModifiedTime(busybox)).getBytes(StandardCharsets.UTF_8));
        return Digest.of(sha).hex().substring(0, 16);
    }

    // tag::tree[]
    /**
     * Writes the tree under root, parents before children, each node as lstat(2) shows it: a
     * symbolic link stays a link (never followed), devices keep their numbers, files their owner.
     */
    static void write(Path root, InitramfsWriter w) throws IOException {
        List<Path> pending = new ArrayList<>(List.of(root));
        while (!pending.isEmpty()) {
            Path p = pending.remove(pending.size() - 1);
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            long rdev = (Long) a.get("rdev");
            String name = root.relativize(p).toString();
            String link = Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).toString() : null;
            w.node(name, mode, (Integer) a.get("uid"), (Integer) a.get("gid"), p, link, major(rdev), minor(rdev));
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> children = Files.list(p)) {
                    // reverse order on a stack: written in name order, the archive the same each time
                    children.sorted((x, y) -> y.getFileName().toString().compareTo(x.getFileName().toString()))
                            .forEach(pending::add);
                }
            }
        }
    }
    // end::tree[]

    /** What the guest runs first: init, the busybox it uses, and the console the kernel opens for it. */
    static void addInit(InitramfsWriter w, Path busybox) throws IOException {
        w.directory(".mini", 0755);
        w.file(GuestInit.BUSYBOX, 0755, busybox);
        w.file(GuestInit.PATH, 0755, GuestInit.script());
        w.directory("dev", 0755);
        w.characterDevice("dev/console", 0600, 5, 1);
        w.characterDevice("dev/null", 0666, 1, 3);
    }

    /** major(3) and minor(3) of a dev_t as glibc encodes it. */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }
}
