package dev.minidocker.container.image;

/** The reference names no image in the local store. */
public final class ImageNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reference;

    public ImageNotFoundException(String reference) {
        super("image '" + reference + "' not found in the local store: pull it with './mini pull " + reference + "' or load it with './mini load FILE'"
                + " (see './mini images' for what is there)");
        this.reference = reference;
    }

    public String reference() {
        return reference;
    }
}
