package dev.minidocker.lab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the lab lives on the host: the project checkout (shown to the guest at the same path,
 * and where the command runs) and the cache of kernel and initramfs under it.
 *
 * @param checkout the directory holding the {@code mini} launcher and the root pom.xml
 * @param cache    {@code <checkout>/.mini/lab}, or {@code $XDG_CACHE_HOME/mini-docker/lab} when the
 *                 checkout cannot be written
 */
public record LabHome(Path checkout, Path cache) {

    /** From MINI_HOME if set, else from where this class was loaded (a jar or classes dir in the checkout). */
    public static LabHome locate(Map<String, String> env) {
        Path checkout = checkout(env);
        Path cache = checkout.resolve(".mini").resolve("lab");
        if (!writable(checkout)) {
            String xdg = env.getOrDefault("XDG_CACHE_HOME",
                    Path.of(System.getProperty("user.home"), ".cache").toString());
            cache = Path.of(xdg, "mini-docker", "lab");
        }
        return new LabHome(checkout, cache);
    }

    static Path checkout(Map<String, String> env) {
        for (String variable : new String[] {"MINI_HOME", "MINI_PROJECT_ROOT"}) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return Path.of(value).toAbsolutePath().normalize();
            }
        }
        Path start;
        try {
            start = Path.of(LabHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            start = Path.of("").toAbsolutePath();
        }
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isCheckout(dir)) {
                return dir;
            }
        }
        throw new LabException("cannot find the mini-docker checkout from " + start + "; set MINI_HOME to it");
    }

    /** The checkout is the directory with the launcher, or the root pom next to mini-lab. */
    static boolean isCheckout(Path dir) {
        return Files.isRegularFile(dir.resolve("mini"))
                || Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("mini-lab"));
    }

    private static boolean writable(Path dir) {
        Path mini = dir.resolve(".mini");
        return Files.isDirectory(mini) ? Files.isWritable(mini) : Files.isWritable(dir);
    }
}
