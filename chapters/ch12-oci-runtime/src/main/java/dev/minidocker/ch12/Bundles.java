package dev.minidocker.ch12;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;

/**
 * An OCI bundle made by hand, as an engine makes one: a directory with a root filesystem (a
 * static busybox and a few of its applets) and a config.json (the defaults of {@code mini-runc
 * spec}, with the program to run).
 */
public final class Bundles {
    private Bundles() {
    }

    // tag::bundle[]
    /** Writes dir/rootfs and dir/config.json; terminal says whether the program gets a pty. */
    public static Path make(Path dir, boolean terminal, String... args) {
        try {
            Path bin = Files.createDirectories(dir.resolve("rootfs/bin"));
            if (!Files.exists(bin.resolve("busybox"))) {
                Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox")); // Debian's busybox-static
                for (String applet : List.of("sh", "echo", "cat", "ls", "ps", "sleep", "tty", "hostname", "id", "stty")) {
                    Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
                }
            }
            ContainerSpec spec = SpecDefaults.bundleSpec();
            ContainerSpec.Process p = spec.process();
            spec = spec.withProcess(new ContainerSpec.Process(terminal, terminal ? new ContainerSpec.ConsoleSize(24, 80) : null,
                    p.user(), List.of(args), p.env(), p.cwd(), p.capabilities(), p.rlimits(), p.noNewPrivileges(), null, null, null));
            SpecFile.write(dir.resolve("config.json"), spec);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a bundle in " + dir + ": " + e.getMessage(), e);
        }
    }
    // end::bundle[]
}
