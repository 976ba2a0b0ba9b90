package dev.minidocker.container.image;

import java.nio.file.Path;

/** A separate JVM that loads an image, so that a test can interrupt it with SIGINT as Ctrl-C would. */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) {
        ImageStore store = ImageStore.open(Path.of(args[0]));
        System.out.println("started");
        System.out.flush();
        for (Image i : new ImageLoader(store, System.out).load(Path.of(args[1]), "big:latest")) {
            System.out.println("Loaded image: " + i.reference());
        }
    }
}
