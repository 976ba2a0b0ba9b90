package dev.minidocker.container.net;

/**
 * A network containers can join: a Linux bridge on the host, a subnet, and the bridge's address
 * as every member's gateway. Stored as JSON under the mini root ({@link NetworkStore}).
 * {@code bridge} is the default network, on the bridge {@code mini0}; user networks get their own.
 */
public record Network(String name, String id, String driver, String bridge, String subnet, String gateway,
                      String created) {
    /** The network a container joins when no --network is given, as docker's "bridge". */
    public static final String DEFAULT = "bridge";
    public static final String DEFAULT_BRIDGE = "mini0";

    public Subnet cidr() {
        return Subnet.parse(subnet);
    }

    public int gatewayAddress() {
        return Subnet.parseAddress(gateway);
    }

    /** Containers of a user network find each other by name; on the default network they do not (as in docker). */
    public boolean resolvesNames() {
        return !name.equals(DEFAULT);
    }
}
