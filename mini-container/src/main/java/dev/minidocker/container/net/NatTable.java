package dev.minidocker.container.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.minidocker.sys.Nftables;

/**
 * mini's nftables table, {@code table ip mini}: masquerade for the networks' outbound traffic and
 * DNAT for published ports. The whole table is written from the leases each time one changes and
 * loaded with {@code nft -f -}, which applies a script as one transaction: the old table goes and
 * the new one comes in the same step, so no packet ever sees half of it. With no container left
 * the table is deleted. The script goes to libnftables in-process (the library behind {@code nft}),
 * or to the {@code nft} program where the library cannot be loaded.
 *
 * <p>Ports published on 127.0.0.1: the kernel does not route a packet with a loopback address
 * out of another interface unless that interface has {@code route_localnet} set. mini sets it on
 * its own bridges (a per-interface switch that goes away with the bridge, not a host-wide one)
 * and masquerades such packets to the bridge's address so the answer finds its way back. This
 * keeps every published port in one kernel mechanism, instead of one user-space proxy process
 * per port (docker's docker-proxy), at the price that the container sees the gateway, not
 * 127.0.0.1, as the client's address (which docker-proxy shows it too).
 */
public final class NatTable {
    public static final String DEFAULT_NAME = "mini";

    private NatTable() {
    }

    // tag::render[]
    /** The script for the table, given each network in use and the leases on it. */
    public static String render(String table, Map<Network, List<Lease>> inUse) {
        StringBuilder publish = new StringBuilder();
        StringBuilder postrouting = new StringBuilder();
        inUse.forEach((net, leases) -> {
            // tag::masquerade[]
            // exercise:begin ch14-masquerade "one postrouting rule per network: packets from its subnet (ip saddr SUBNET) that leave by any interface but its bridge (oifname != BRIDGE, the name in double quotes) get masquerade, with the comment NAME: outbound"
            postrouting.append("\t\tip saddr ").append(net.subnet()).append(" oifname != \"").append(net.bridge())
                    .append("\" masquerade comment \"").append(net.name()).append(": outbound\"\n");
            // exercise:end ch14-masquerade
            // end::masquerade[]
            postrouting.append("\t\toifname \"").append(net.bridge()).append("\" ct status dnat ip saddr { 127.0.0.0/8, ")
                    .append(net.subnet()).append(" } masquerade comment \"")
                    .append(net.name()).append(": published ports from 127.0.0.1 and from the network itself\"\n");
            for (Lease l : leases) {
                for (PortMapping p : l.ports()) {
                    publish.append("\t\t");
                    if (!p.hostIp().equals(PortMapping.ANY)) {
                        publish.append("ip daddr ").append(p.hostIp()).append(' ');
                    }
                    publish.append(p.protocol()).append(" dport ").append(p.hostPort())
                            .append(" dnat to ").append(l.address()).append(':').append(p.containerPort())
                            .append(" comment \"").append(l.name()).append("\"\n");
                }
            }
        });
        return "table ip " + table + "\n"
                + "delete table ip " + table + "\n"      // create-then-delete: works whether it existed or not
                + "table ip " + table + " {\n"
                + "\tchain prerouting {\n"
                + "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
                + "\t\tfib daddr type local jump publish\n"   // packets from outside or from containers
                + "\t}\n"
                + "\tchain output {\n"
                + "\t\ttype nat hook output priority -100; policy accept;\n"
                + "\t\tfib daddr type local jump publish\n"   // packets the host itself sends
                + "\t}\n"
                + "\tchain publish {\n" + publish + "\t}\n"
                + "\tchain postrouting {\n"
                + "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                + postrouting
                + "\t}\n"
                + "}\n";
    }
    // end::render[]

    /** The script that removes the table, whether it exists or not. */
    public static String renderDelete(String table) {
        return "table ip " + table + "\ndelete table ip " + table + "\n";
    }

    /** Loads the script through libnftables in this process, or with {@code nft -f -} where the library is missing. */
    public static void apply(String script) {
        if (Nftables.available()) {
            Nftables.run(script);
        } else {
            applyWithProgram(script);
        }
    }

    /** Runs {@code nft -f -} with the script on its standard input. */
    static void applyWithProgram(String script) {
        String nft = nftBinary();
        try {
            Process p = new ProcessBuilder(nft, "-f", "-").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("nft -f - did not finish in 30 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("nft -f - failed (exit " + p.exitValue() + "): "
                        + out.lines().findFirst().orElse(""));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + nft + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running nft", e);
        }
    }

    /** nft lives in /usr/sbin, which is not on every user's PATH. */
    public static String nftBinary() {
        for (String d : List.of("/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(d, "nft"))) {
                return d + "/nft";
            }
        }
        throw new IllegalStateException("nft not found: install nftables (apt-get install nftables), which mini uses for NAT and published ports");
    }
}
