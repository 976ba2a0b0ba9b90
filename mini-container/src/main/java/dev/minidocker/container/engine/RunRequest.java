package dev.minidocker.container.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.security.SecurityOptions;

/**
 * What a user asks of {@code mini run}, once the flags and the image are resolved: the engine
 * turns it into an OCI config.json ({@link SpecBuilder}) and a call to the runtime.
 *
 * @param name          the container's name, or null for a generated one
 * @param image         the image reference, for {@code mini ps}
 * @param layers        the image's unpacked layers, lowest first (empty when rootDirectory is set)
 * @param rootDirectory a plain directory to use as the root instead of layers
 * @param args          the command and its arguments
 * @param env           KEY=VALUE strings
 * @param cwd           absolute working directory
 * @param hostname      hostname inside, or null for the short ID (as docker does)
 * @param namespaces    the namespaces to create
 * @param isolation     pivot_root or chroot
 * @param limits        cgroup limits
 * @param cgroupDriver  "v1", "v2" or null to detect
 * @param autoRemove    remove everything when the container ends ({@code --rm})
 * @param flatten       where overlayfs is missing: the image to copy into the container's own root, else null
 * @param security      capabilities, seccomp, masked paths, devices and user ({@code mini run}'s flags); null
 *                      for none of them, as containers were before the security chapter (what its demos compare with)
 * @param terminal      process.terminal: the command's stdio is a pty of its own ({@code -t}), with this window size;
 *                      null for the runtime's own stdio
 */
public record RunRequest(String name, String image, List<Path> layers, Path rootDirectory, List<String> args,
                         List<String> env, String cwd, String hostname, Set<Namespace> namespaces, Isolation isolation,
                         Limits limits, String cgroupDriver, boolean autoRemove, Flatten flatten,
                         SecurityOptions security, Terminal terminal) {

    /** Without a terminal, as every caller but {@code mini run -t} asks. */
    public RunRequest(String name, String image, List<Path> layers, Path rootDirectory, List<String> args,
                      List<String> env, String cwd, String hostname, Set<Namespace> namespaces, Isolation isolation,
                      Limits limits, String cgroupDriver, boolean autoRemove, Flatten flatten, SecurityOptions security) {
        this(name, image, layers, rootDirectory, args, env, cwd, hostname, namespaces, isolation, limits, cgroupDriver,
                autoRemove, flatten, security, null);
    }

    /** A pty for the command, rows by cols (0 by 0 when mini has no terminal to take the size from). */
    public record Terminal(int rows, int cols) {
    }

    /** A flattened copy of an image's layers instead of an overlay of them. */
    public record Flatten(ImageStore store, Image image) {
    }
}
