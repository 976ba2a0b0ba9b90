package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.registry.ImagePuller;
import dev.minidocker.container.registry.Platform;
import dev.minidocker.container.registry.RegistryReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download an image from a registry (Docker Hub, or any OCI distribution registry); 'ubuntu' means docker.io/library/ubuntu:latest.",
                "Every manifest and blob is checked against its digest; layers already here are not downloaded; an interrupted pull leaves the store as it was.",
                "Credentials come from 'mini login' ($REGISTRY_AUTH_FILE, ~/.config/containers/auth.json or ~/.docker/config.json)."})
final class PullCommand implements Callable<Integer> {
    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index to take (default: this machine's, ${DEFAULT-VALUE}).")
    String platform = Platform.host().toString();

    @Mixin
    RegistryOptions registry;

    @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]", description = "The image, e.g. busybox, 127.0.0.1:5000/app:v1.")
    String name;

    @Override
    public Integer call() {
        Cli.requireRoot("mini pull");
        RegistryReference ref = RegistryReference.parse(name);
        new ImagePuller(ImageStore.open(Cli.root()), System.err).pull(ref, Platform.parse(platform), registry.client(ref));
        System.out.println(ref);
        return 0;
    }
}
