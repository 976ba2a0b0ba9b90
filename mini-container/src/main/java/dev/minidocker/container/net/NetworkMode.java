package dev.minidocker.container.net;

/**
 * docker's {@code --network}: {@code bridge} (the default network), {@code none} (a namespace with
 * only loopback), {@code host} (no namespace of its own: the host's stack), {@code container:NAME}
 * (another container's namespace), or the name of a user network.
 */
public record NetworkMode(Kind kind, String name) {
    public enum Kind { NETWORK, NONE, HOST, CONTAINER }

    public static NetworkMode parse(String value) {
        if (value == null || value.isEmpty() || value.equals("default")) {
            return new NetworkMode(Kind.NETWORK, Network.DEFAULT);
        }
        return switch (value) {
            case "none" -> new NetworkMode(Kind.NONE, null);
            case "host" -> new NetworkMode(Kind.HOST, null);
            default -> {
                if (value.startsWith("container:")) {
                    String other = value.substring("container:".length());
                    if (other.isEmpty()) {
                        throw new IllegalArgumentException("--network container: needs a container's name or ID (container:NAME)");
                    }
                    yield new NetworkMode(Kind.CONTAINER, other);
                }
                yield new NetworkMode(Kind.NETWORK, value);
            }
        };
    }

    /** Only a container with a network of its own can publish ports (docker refuses them with host and container:). */
    public boolean canPublish() {
        return kind == Kind.NETWORK;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NETWORK -> name;
            case NONE -> "none";
            case HOST -> "host";
            case CONTAINER -> "container:" + name;
        };
    }
}
