package dev.minidocker.container.net;

/** An IPv4 route of the main table: where to (0.0.0.0/0 for the default), via which gateway (0: on link), out of which link. */
public record Route(Subnet destination, int gateway, int outputLink) {
}
