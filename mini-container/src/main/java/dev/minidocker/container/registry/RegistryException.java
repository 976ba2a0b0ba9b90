package dev.minidocker.container.registry;

import dev.minidocker.container.image.ImageException;

/** A registry refused, lied or could not be reached; the message says which registry and what to do. */
public class RegistryException extends ImageException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
