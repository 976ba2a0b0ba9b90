package dev.minidocker.container.registry;

import java.util.Locale;

/** An OCI platform ({@code linux/amd64}, {@code linux/arm64/v8}) as image indexes name them. */
public record Platform(String os, String architecture, String variant) {
    public static Platform parse(String text) {
        String[] p = text.strip().split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new RegistryException("invalid platform '" + text + "': use OS/ARCH[/VARIANT], e.g. linux/amd64");
        }
        return new Platform(p[0], p[1], p.length == 3 ? p[2] : "");
    }

    /** This machine, in Go's names for architectures (which OCI uses). */
    public static Platform host() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String goArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return new Platform("linux", goArch, "");
    }

    /** Whether an index entry's platform is this one (a missing variant matches any). */
    public boolean matches(String os, String architecture, String variant) {
        return this.os.equals(os) && this.architecture.equals(architecture)
                && (this.variant.isEmpty() || this.variant.equals(variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
