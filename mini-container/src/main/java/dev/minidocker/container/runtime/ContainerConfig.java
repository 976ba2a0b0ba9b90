package dev.minidocker.container.runtime;

import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.ns.Namespace;

/**
 * What a user asks for when creating a container: the image's layers (or a plain root
 * directory), the process, and the isolation. The runtime turns it into a {@link ContainerSpec}
 * once it has an ID and a bundle directory.
 *
 * @param name       the container's name, or null for a generated one
 * @param image      the image reference, for {@code mini ps}
 * @param layers     the image's unpacked layers, lowest first (empty when rootDirectory is set)
 * @param rootDirectory a plain directory to use as the root instead of layers (an OCI bundle's rootfs)
 * @param process    command, environment, working directory
 * @param hostname   hostname inside, or null for the short ID (as docker does)
 * @param namespaces the namespaces to create
 * @param isolation  pivot_root or chroot
 * @param autoRemove remove everything when the container ends ({@code --rm})
 */
public record ContainerConfig(
        String name,
        String image,
        List<Path> layers,
        Path rootDirectory,
        ContainerSpec.ProcessSpec process,
        String hostname,
        List<Namespace> namespaces,
        Isolation isolation,
        boolean autoRemove) {
}
