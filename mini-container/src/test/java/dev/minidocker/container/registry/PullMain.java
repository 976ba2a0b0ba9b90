package dev.minidocker.container.registry;

import java.nio.file.Path;
import java.util.Optional;

import dev.minidocker.container.image.ImageStore;

/** A pull in a JVM of its own, for tests that kill it: {@code PullMain STORE NAME USER PASSWORD}. */
public final class PullMain {
    private PullMain() {
    }

    public static void main(String[] args) {
        RegistryReference ref = RegistryReference.parse(args[1]);
        new ImagePuller(ImageStore.open(Path.of(args[0])), System.out).pull(ref, Platform.host(),
                new RegistryClient(ref, true, Optional.of(new AuthFile.Credentials(args[2], args[3]))));
        System.out.println("pulled");
    }
}
