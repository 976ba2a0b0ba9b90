package dev.minidocker.container.net;

import java.util.ArrayList;
import java.util.List;

/**
 * One published port: traffic to {@code hostIp:hostPort} on the host goes to {@code containerPort}
 * of the container. hostIp "0.0.0.0" means every address of the host; hostPort 0 means "pick a
 * free one" until the engine has picked it.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public static final String ANY = "0.0.0.0";

    public PortMapping {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("invalid protocol " + protocol + ": tcp or udp");
        }
    }

    public PortMapping withHostPort(int port) {
        return new PortMapping(hostIp, port, containerPort, protocol);
    }

    /** Docker's {@code docker port} form: {@code 80/tcp -> 0.0.0.0:8080}. */
    @Override
    public String toString() {
        return containerPort + "/" + protocol + " -> " + hostIp + ":" + hostPort;
    }

    // tag::parse-publish[]
    /**
     * Parses docker's {@code -p [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/tcp|/udp]}, where either port
     * may be a range {@code 8000-8003}. A host range must be as long as the container range; without
     * a host port every container port gets a free host port.
     */
    public static List<PortMapping> parse(String spec) {
        String protocol = "tcp";
        String rest = spec;
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            protocol = rest.substring(slash + 1).toLowerCase();
            rest = rest.substring(0, slash);
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new IllegalArgumentException("invalid -p " + spec + ": protocol must be tcp or udp");
            }
        }
        String[] parts = rest.split(":", -1);
        String hostIp = ANY;
        String hostPorts = "";
        String containerPorts;
        switch (parts.length) {
            case 1 -> containerPorts = parts[0];
            case 2 -> {
                hostPorts = parts[0];
                containerPorts = parts[1];
            }
            case 3 -> {
                hostIp = parts[0];
                hostPorts = parts[1];
                containerPorts = parts[2];
                try {
                    Subnet.parseAddress(hostIp);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid -p " + spec + ": " + hostIp + " is not an IPv4 address");
                }
            }
            default -> throw new IllegalArgumentException("invalid -p " + spec
                    + ": expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/tcp|/udp]");
        }
        int[] c = range(containerPorts, spec);
        int[] h = hostPorts.isEmpty() ? null : range(hostPorts, spec);
        if (h != null && h[1] - h[0] != c[1] - c[0]) {
            throw new IllegalArgumentException("invalid -p " + spec + ": host and container port ranges differ in length");
        }
        List<PortMapping> out = new ArrayList<>();
        for (int i = 0; i <= c[1] - c[0]; i++) {
            out.add(new PortMapping(hostIp, h == null ? 0 : h[0] + i, c[0] + i, protocol));
        }
        return out;
    }
    // end::parse-publish[]

    private static int[] range(String s, String spec) {
        int dash = s.indexOf('-');
        int lo = port(dash < 0 ? s : s.substring(0, dash), spec);
        int hi = dash < 0 ? lo : port(s.substring(dash + 1), spec);
        if (hi < lo) {
            throw new IllegalArgumentException("invalid -p " + spec + ": range " + s + " ends before it starts");
        }
        return new int[] {lo, hi};
    }

    private static int port(String s, String spec) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("invalid -p " + spec + ": \"" + s + "\" is not a port (1-65535)");
    }
}
