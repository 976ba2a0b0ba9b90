package dev.minidocker.container.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.spec.ContainerSpec;

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
 * @param user          the uid and gids the command runs as, or null for root
 */
public record RunRequest(String name, String image, List<Path> layers, Path rootDirectory, List<String> args,
                         List<String> env, String cwd, String hostname, Set<Namespace> namespaces, Isolation isolation,
                         Limits limits, String cgroupDriver, boolean autoRemove, Flatten flatten,
                         ContainerSpec.User user) {

    /** As root. */
    public RunRequest(String name, String image, List<Path> layers, Path rootDirectory, List<String> args,
                      List<String> env, String cwd, String hostname, Set<Namespace> namespaces, Isolation isolation,
                      Limits limits, String cgroupDriver, boolean autoRemove, Flatten flatten) {
        this(name, image, layers, rootDirectory, args, env, cwd, hostname, namespaces, isolation, limits, cgroupDriver,
                autoRemove, flatten, null);
    }

    /** A flattened copy of an image's layers instead of an overlay of them. */
    public record Flatten(ImageStore store, Image image) {
    }
}
