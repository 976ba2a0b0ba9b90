package dev.minidocker.container.net;

import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;

/**
 * A container's place on a network, ready before the container exists: the namespace to join
 * and the files to mount. The engine puts both into config.json.
 */
public record Attachment(String container, Network network, Path netns, String address, List<PortMapping> ports,
                         Path resolvConf, Path hosts, Path hostname) {

    // tag::spec-entries[]
    /** The {@code linux.namespaces} entry: join this network namespace instead of making one. */
    public ContainerSpec.Namespace namespace() {
        return new ContainerSpec.Namespace("network", netns.toString());
    }

    /** The {@code mounts} entries: the three files, bound over the image's (as docker's spec has them). */
    public List<ContainerSpec.Mount> mounts() {
        List<String> options = List.of("rbind", "rprivate");
        return List.of(
                new ContainerSpec.Mount("/etc/resolv.conf", "bind", resolvConf.toString(), options),
                new ContainerSpec.Mount("/etc/hosts", "bind", hosts.toString(), options),
                new ContainerSpec.Mount("/etc/hostname", "bind", hostname.toString(), options));
    }
    // end::spec-entries[]
}
