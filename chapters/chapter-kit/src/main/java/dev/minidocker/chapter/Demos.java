package dev.minidocker.chapter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.image.DefaultImages;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.security.SecurityOptions;
import dev.minidocker.sys.Native;

/** Containers for chapter demos, from the same store as {@code mini run} ($MINI_ROOT or /var/lib/mini-docker). */
public final class Demos {
    private Demos() {
    }

    public static Path root() {
        String env = System.getenv("MINI_ROOT");
        return Path.of(env != null && !env.isEmpty() ? env : "/var/lib/mini-docker");
    }

    /** Containers need root: say so and stop the demo, rather than fail halfway. */
    public static void requireRootOrExplain(Narrator n) {
        if (Native.posix().geteuid() != 0) {
            n.say("this step runs a container, which needs root: run the chapter with sudo");
            System.exit(125);
        }
    }

    public static Image busybox() {
        return DefaultImages.ensureBusybox(ImageStore.open(root()), new PrintStream(PrintStream.nullOutputStream()));
    }

    /**
     * A one-shot busybox container running args, with what {@code mini run} gives it: docker's
     * capabilities, seccomp filter, masked paths and device rules (chapter 16). A demo that needs
     * more sets {@code security} to the flags it would type.
     */
    public static OneShot container(String... args) {
        OneShot s = new OneShot(root(), busybox(), List.of(args));
        s.security = SecurityOptions.defaults();
        return s;
    }
}
