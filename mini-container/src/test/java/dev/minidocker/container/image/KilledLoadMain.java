package dev.minidocker.container.image;

import java.nio.file.Path;

/**
 * A load in a JVM of its own that dies at a named step of the store transaction the way a
 * SIGKILL would (Runtime.halt: no shutdown hook, no finally): {@code KilledLoadMain STORE SOURCE NAME STEP}.
 */
public final class KilledLoadMain {
    private KilledLoadMain() {
    }

    public static void main(String[] args) {
        StoreTransaction.steps = step -> {
            if (step.equals(args[3])) {
                Runtime.getRuntime().halt(137);
            }
        };
        new ImageLoader(ImageStore.open(Path.of(args[0])), null).load(Path.of(args[1]), args[2]);
        System.exit(3); // the step never came
    }
}
