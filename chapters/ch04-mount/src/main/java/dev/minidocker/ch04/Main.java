package dev.minidocker.ch04;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.chapter.Demos;
import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.security.SecurityOptions;

/**
 * Chapter 4: a mount namespace gives the container its own mount table. chroot(2) alone
 * keeps the host's tree in that table, and root can walk back to it; pivot_root(2) swaps the
 * root mount and lets us detach the old one, so there is nothing left to walk to.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 4: Mount namespace, chroot and pivot_root");
        Demos.requireRootOrExplain(n);

        n.step("Inside a container, mount a tmpfs and list the mounts (mini run --cap-add SYS_ADMIN: mounting needs it, see chapter 16)",
                "the new mount is in the container's table; the host's table has no trace of it");
        OneShot mounts = Demos.container("sh", "-c", "mkdir -p /mnt/scratch && mount -t tmpfs ch04-scratch /mnt/scratch && "
                + "grep ch04 /proc/self/mountinfo | cut -d' ' -f5,9");
        mounts.security = new SecurityOptions(List.of("SYS_ADMIN"), null, false, null, null, null);
        n.insideLines(mounts.run().stdout());
        n.host("grep ch04 /proc/self/mountinfo -> " + (Files.readString(Path.of("/proc/self/mountinfo")).contains("ch04-scratch")
                ? "found (leaked!)" : "nothing"));

        Path dir = Files.createTempDirectory("ch04");
        Path secret = EscapeDemo.hostSecret(dir);
        try {
            Path root = EscapeDemo.rootWithEscape(Demos.busybox(), dir);
            n.step("Run the classic escape (chroot into a subdirectory, walk up with .., chroot(\".\")) "
                    + "in a container isolated only by chroot", "it prints a file only the host has");
            n.host("echo \"the host's secret\" > " + secret);
            n.insideLines(escape(root, Isolation.CHROOT, secret));

            n.step("The same program, in a container isolated by pivot_root with the old root detached",
                    "CONTAINED: above the container's root there is nothing any more");
            n.insideLines(escape(root, Isolation.PIVOT_ROOT, secret));
        } finally {
            Files.deleteIfExists(secret);
            new ProcessBuilder("rm", "-rf", dir.toString()).start();
        }
        n.conclude("chroot changes how / is looked up; pivot_root changes what is mounted. Containers need the second.");
    }

    static String escape(Path root, Isolation isolation, Path secret) {
        OneShot s = Demos.container("/escape", secret.toString());
        s.rootDirectory = root;
        s.isolation = isolation;
        try {
            return s.run().stdout();
        } catch (UncheckedIOException e) {
            throw e;
        }
    }
}
