package dev.minidocker.container.ns;

/**
 * Rootless mode: mini run by a user without root. The {@code ./mini} launcher starts the JVM inside
 * a user namespace of that user's own ({@code unshare --user --map-root-user}), where the user is
 * uid 0 with every capability over the namespaces it makes, and none over the host; it sets
 * {@code MINI_ROOTLESS=1} and puts the store under the user's home. What needs the host's root
 * (a bridge and NAT on the host, cgroups that are not delegated) says so in one line.
 */
public final class Rootless {
    private Rootless() {
    }

    /** Whether this JVM runs rootless (the launcher said so). */
    public static boolean active() {
        return "1".equals(System.getenv("MINI_ROOTLESS"));
    }
}
