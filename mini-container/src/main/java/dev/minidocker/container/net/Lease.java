package dev.minidocker.container.net;

import java.util.List;

/**
 * What one container holds of a network while it runs: its address, the host end of its veth,
 * its namespace's bind mount, its hosts file and its published ports. {@code holderPid} and
 * {@code holderStart} (the process's start time in /proc/PID/stat, so a reused PID does not
 * count) name the process whose life the lease follows; once it is gone the lease is stale and
 * the next mini command takes everything back.
 */
public record Lease(String container, String name, String network, String address, String veth, String netns,
                    String hostsFile, List<PortMapping> ports, long holderPid, long holderStart) {

    public Lease withHolder(long pid, long start) {
        return new Lease(container, name, network, address, veth, netns, hostsFile, ports, pid, start);
    }
}
