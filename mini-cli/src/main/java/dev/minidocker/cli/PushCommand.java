package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.registry.ImagePusher;
import dev.minidocker.container.registry.RegistryReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Upload an image to the registry its name names (tag it first with 'mini tag').",
                "Blobs the registry has are skipped, blobs another repository there is known to have are mounted from it, the manifest goes last."})
final class PushCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions registry;

    @Parameters(index = "0", paramLabel = "NAME[:TAG]", description = "A local image named for its registry, e.g. 127.0.0.1:5000/app:v1.")
    String name;

    @Override
    public Integer call() {
        ImageStore store = ImageStore.open(Cli.root());
        RegistryReference ref = RegistryReference.parse(name);
        Image image = store.get(name);
        if (ref.localName() == null || !image.reference().equals(ref.localName().toString())) {
            // an id prefix, or a digest: docker too pushes tags only
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "push takes a tag of a local image, not '" + name
                    + "': name it first with 'mini tag " + name + " REGISTRY/REPOSITORY:TAG'");
        }
        new ImagePusher(store, System.err).push(image, ref, registry.client(ref));
        return 0;
    }
}
