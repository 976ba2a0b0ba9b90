package dev.minidocker.container.net;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Host ports for {@code -p}. A DNAT rule takes a port's packets before any socket of the host
 * sees them, so a port is refused when another container publishes it or a host process is bound
 * to it; "-p CONTAINER_PORT" gets a port the kernel picks from its ephemeral range
 * (ip_local_port_range), as binding to port 0 does.
 */
final class HostPorts {
    private HostPorts() {
    }

    // tag::choose-ports[]
    /** Picks free host ports for "-p CONTAINER_PORT", and refuses ports leased or bound already. */
    static List<PortMapping> choose(List<PortMapping> wanted, List<Lease> taken) {
        Set<String> used = new HashSet<>();
        for (Lease l : taken) {
            for (PortMapping p : l.ports()) {
                used.add(p.hostPort() + "/" + p.protocol());
            }
        }
        List<PortMapping> out = new ArrayList<>();
        for (PortMapping p : wanted) {
            if (p.hostPort() == 0) {
                int port;
                do {
                    port = bindable(p, 0);              // the kernel picks from ip_local_port_range
                } while (used.contains(port + "/" + p.protocol()));
                p = p.withHostPort(port);
            } else if (used.contains(p.hostPort() + "/" + p.protocol())) {
                throw new IllegalArgumentException("Bind for " + p.hostIp() + ":" + p.hostPort()
                        + " failed: port is already allocated (published by another container)");
            } else if (bindable(p, p.hostPort()) < 0) {
                throw new IllegalArgumentException("Bind for " + p.hostIp() + ":" + p.hostPort() + "/" + p.protocol()
                        + " failed: a process on the host is using it");
            }
            used.add(p.hostPort() + "/" + p.protocol());
            out.add(p);
        }
        return out;
    }
    // end::choose-ports[]

    /** Binds and closes a socket on the port; returns the port bound, or -1 if it is in use. */
    private static int bindable(PortMapping p, int port) {
        try {
            InetAddress ip = InetAddress.getByName(p.hostIp());
            if (p.protocol().equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip, port))) {
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(ip, port));
                return s.getLocalPort();
            }
        } catch (IOException e) {
            if (port == 0) {
                throw new IllegalStateException("cannot find a free " + p.protocol() + " port on " + p.hostIp() + ": " + e.getMessage(), e);
            }
            return -1;
        }
    }

}
