package dev.minidocker.container.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The network sysctls mini needs, as files under /proc/sys/net. They belong to the network
 * namespace of the thread that opens the file, like everything else about networking.
 */
public final class Sysctl {
    /** Forward packets between interfaces: without it NAT has nothing to translate. Host-wide (per namespace). */
    public static final String IP_FORWARD = "net/ipv4/ip_forward";

    private Sysctl() {
    }

    /** Lets packets to or from 127.0.0.0/8 be routed out of this interface (see {@link NatTable}). */
    public static String routeLocalnet(String link) {
        return "net/ipv4/conf/" + link + "/route_localnet";
    }

    public static String read(String name) {
        try {
            return Files.readString(Path.of("/proc/sys", name)).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/sys/" + name + ": " + e.getMessage(), e);
        }
    }

    public static void write(String name, String value) {
        try {
            Files.writeString(Path.of("/proc/sys", name), value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value + " to /proc/sys/" + name + ": " + e.getMessage(), e);
        }
    }
}
