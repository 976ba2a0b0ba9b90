package dev.minidocker.container.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.minidocker.container.image.DefaultImages;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.runtime.Container;
import dev.minidocker.container.engine.OneShot;
import dev.minidocker.sys.Privileged;

/**
 * Runs real containers from the default busybox image for tests, capturing what the process
 * inside printed. All test JVMs share one store (made once) under the system temp directory.
 */
public final class TestContainers {
    private static Image busybox;

    private TestContainers() {
    }

    public static Path root() {
        return Path.of(System.getProperty("java.io.tmpdir"), "mini-docker-test-root");
    }

    public static synchronized Image busybox() {
        Privileged.requireRoot();
        if (busybox == null) {
            busybox = DefaultImages.ensureBusybox(ImageStore.open(root()), new PrintStream(PrintStream.nullOutputStream()));
        }
        return busybox;
    }


    /** A one-shot container from busybox with test defaults (hostname "testbox"). */
    public static OneShot oneShot(String... args) {
        OneShot s = new OneShot(root(), busybox(), List.of(args));
        s.hostname = "testbox";
        return s;
    }

    /** Runs args in a busybox container with the default namespaces and pivot_root. */
    public static OneShot.Outcome run(String... args) {
        return oneShot(args).run();
    }

    /** Runs args with a customised configuration. */
    public static OneShot.Outcome run(Consumer<OneShot> customise, String... args) {
        OneShot s = oneShot(args);
        customise.accept(s);
        return s.run();
    }

    /** Runs args; whileRunning gets the container once the command has started, and its stdout file. */
    public static OneShot.Outcome runWhile(BiConsumer<Container, Path> whileRunning, String... args) {
        return oneShot(args).run(whileRunning);
    }

    /** Waits (up to 20 s) until the file contains text: the container says it is ready. */
    public static void awaitOutput(Path file, String text) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        try {
            while (!Files.readString(file).contains(text)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the container never printed \"" + text + "\"");
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
