package dev.minidocker.container.runtime;

/** How the container's root replaces the host's. */
public enum Isolation {
    /** pivot_root(2) and detach the old root: the host's tree is gone (the default). */
    PIVOT_ROOT,
    /** chroot(2) only: the host's tree is still mounted and a root process can escape. For teaching. */
    CHROOT;

    /** Parses the CLI spelling: {@code pivot_root} or {@code chroot}. */
    public static Isolation parse(String s) {
        switch (s) {
            case "pivot_root": return PIVOT_ROOT;
            case "chroot": return CHROOT;
            default: throw new IllegalArgumentException("unknown isolation '" + s + "': use pivot_root, chroot or vm");
        }
    }

    public String cliName() {
        return this == PIVOT_ROOT ? "pivot_root" : "chroot";
    }
}
