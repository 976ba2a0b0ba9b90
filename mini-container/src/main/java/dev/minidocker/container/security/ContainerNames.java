package dev.minidocker.container.security;

import java.util.regex.Pattern;

/**
 * docker's rule for container names (and what mini accepts as an ID): a letter or digit, then
 * letters, digits, '_', '.' or '-'. Names become file names in mini's store, so a name such as
 * {@code ../../tmp/x} would otherwise be a path of the user's choosing that mini writes as root.
 */
public final class ContainerNames {
    /** docker's validContainerNamePattern. */
    public static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    /** Longer names cannot be file names (NAME_MAX). */
    public static final int MAX_LENGTH = 255;

    private ContainerNames() {
    }

    /** The name, if valid; otherwise an IllegalArgumentException saying what is allowed. */
    public static String validate(String name) {
        if (name == null || !VALID.matcher(name).matches() || name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid container name \"" + name
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at most " + MAX_LENGTH + " characters");
        }
        return name;
    }
}
