package dev.minidocker.container.net;

/** A network interface as RTM_GETLINK reports it: index, name, flags, the bridge it is on (0: none), its kind. */
public record Link(int index, String name, int flags, int master, String kind) {
    public boolean isUp() {
        return (flags & Netlink.IFF_UP) != 0;
    }
}
