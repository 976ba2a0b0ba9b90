package dev.minidocker.container.registry;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.ImageReference;

/**
 * A full image name as a registry needs it: which registry, which repository in it, and a tag or
 * a digest. Short names are completed as docker completes them: {@code ubuntu} is
 * {@code docker.io/library/ubuntu:latest}, and docker.io's API lives at {@code registry-1.docker.io}.
 */
public record RegistryReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_API = "registry-1.docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

    // tag::normalise[]
    /** Parses {@code [HOST[:PORT]/]PATH[:TAG][@sha256:HEX]}, completing it as docker does. */
    public static RegistryReference parse(String text) {
        String s = text.strip();
        Digest digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(s.substring(at + 1));
            s = s.substring(0, at);
        }
        String tag = null;
        int colon = s.lastIndexOf(':');
        if (colon > s.lastIndexOf('/')) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        // The first component names a registry only if it looks like a host: it has a dot or a
        // port, or is "localhost". Otherwise "joe/app" is a repository on Docker Hub.
        String registry = DOCKER_HUB;
        String path = s;
        int slash = s.indexOf('/');
        if (slash > 0) {
            String first = s.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                registry = first;
                path = s.substring(slash + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals(DOCKER_HUB_API)) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path; // official images live under library/
        }
        // end::normalise[]
        if (!HOST.matcher(registry).matches()) {
            throw new RegistryException("invalid registry host '" + registry + "' in '" + text + "'");
        }
        for (String c : path.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new RegistryException("invalid repository name '" + path + "' in '" + text
                        + "': use lower-case letters, digits, '.', '_', '-' and '/'");
            }
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new RegistryException("invalid tag '" + tag + "' in '" + text + "': use letters, digits, '_', '.' and '-'");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new RegistryReference(registry.toLowerCase(Locale.ROOT), path, tag, digest);
    }

    /** The host (and port) the HTTP API is reached at. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
    }

    /** What to ask {@code /v2/REPO/manifests/} for: the digest when there is one, else the tag. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The name the local store keeps ({@code ubuntu:latest}, {@code 127.0.0.1:5000/app:v1}); null for digest-only. */
    public ImageReference localName() {
        if (tag == null) {
            return null;
        }
        return ImageReference.parse(registry + "/" + repository + ":" + tag);
    }

    /** Whether plain HTTP may be tried: only for the loopback host, as docker allows. */
    public boolean isLoopback() {
        String host = registry.replaceFirst(":[0-9]+$", "");
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
