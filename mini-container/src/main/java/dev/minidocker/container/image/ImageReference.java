package dev.minidocker.container.image;

import java.util.regex.Pattern;

/**
 * A name and a tag, as in {@code busybox:latest}. A missing tag means {@code latest}; the default
 * registry prefixes {@code docker.io/} and {@code docker.io/library/} are dropped, as docker shows them.
 */
public record ImageReference(String name, String tag) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
            + "|[a-zA-Z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public ImageReference {
        if (!NAME.matcher(name).matches()) {
            throw new ImageException("invalid image name '" + name + "': use lower-case letters, digits, '.', '_', '-' and '/'");
        }
        if (!TAG.matcher(tag).matches()) {
            throw new ImageException("invalid image tag '" + tag + "': use letters, digits, '_', '.' and '-'");
        }
    }

    public static ImageReference parse(String text) {
        String s = text.strip();
        int at = s.indexOf('@');
        if (at >= 0) {
            throw new ImageException("references by digest ('" + text + "') are not supported: use NAME:TAG or an image id");
        }
        String name = s;
        String tag = "latest";
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            name = s.substring(0, colon);
            tag = s.substring(colon + 1);
        }
        if (name.startsWith("docker.io/")) {
            name = name.substring("docker.io/".length());
        }
        if (name.startsWith("library/")) {
            name = name.substring("library/".length());
        }
        return new ImageReference(name, tag);
    }

    /** True when the text can be read as a reference (used to tell names from id prefixes). */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (ImageException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + ":" + tag;
    }
}
