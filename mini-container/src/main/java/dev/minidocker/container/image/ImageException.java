package dev.minidocker.container.image;

/** A failure while loading, storing or unpacking an image; the message is one line saying what and why. */
public class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
