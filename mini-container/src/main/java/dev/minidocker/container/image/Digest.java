package dev.minidocker.container.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:4a5b...}: the name of a blob is the hash of its bytes,
 * so a store can check what it was given and share what two images have in common.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw new ImageException("unsupported digest algorithm '" + algorithm + "': only sha256 is supported");
        }
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw new ImageException("malformed sha256 digest '" + hex + "': expected 64 lower-case hex digits");
        }
    }

    /** Parses {@code sha256:HEX}. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new ImageException("missing digest");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new ImageException("malformed digest '" + text + "': expected sha256:HEX");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isSha256Hex(String s) {
        return SHA256_HEX.matcher(s).matches();
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    public static Digest of(MessageDigest finished) {
        return new Digest("sha256", HexFormat.of().formatHex(finished.digest()));
    }

    public static Digest of(byte[] bytes) {
        MessageDigest md = newSha256();
        md.update(bytes);
        return of(md);
    }

    public static Digest of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Digest ofFile(Path file) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return of(md);
    }

    /** Throws with both digests when the content is not what its name promised. */
    public void verify(Digest actual, String what) {
        if (!equals(actual)) {
            throw new ImageException("digest mismatch for " + what + ": expected " + this + ", got " + actual
                    + " (the file is corrupt or was modified; nothing was loaded)");
        }
    }

    /** The first 12 hex digits, as {@code docker images} shows an id. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
