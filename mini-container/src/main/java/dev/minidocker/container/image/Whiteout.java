package dev.minidocker.container.image;

/**
 * The OCI image spec's whiteout names. A layer deletes {@code NAME} from the layers below it by
 * carrying an empty file {@code .wh.NAME}, and hides everything below a directory by carrying
 * {@code DIR/.wh..wh..opq}. These marker files never appear in the unpacked result.
 */
final class Whiteout {
    static final String PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    /** Other {@code .wh..wh.} names are aufs bookkeeping, not content. */
    static final String META_PREFIX = ".wh..wh.";
    /** overlayfs(5): the attribute that makes an upper directory hide the lower ones' contents. */
    static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
    /** The same, where overlay is mounted with userxattr (an unprivileged mount). */
    static final String OVERLAY_USER_OPAQUE_XATTR = "user.overlay.opaque";

    private Whiteout() {
    }

    static boolean isMarker(String base) {
        return base.startsWith(PREFIX);
    }

    /** The name a {@code .wh.NAME} marker deletes; refuses names that would not stay in their directory. */
    static String target(String base, String entryName) {
        String name = base.substring(PREFIX.length());
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new ImageException("entry '" + entryName + "' is a whiteout of '" + name + "', which is not a file name: refused");
        }
        return name;
    }
}
