package dev.minidocker.container.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * The engine's side of container networking. Before a container is created, {@link #attach}
 * leases it an address, makes its network namespace, plugs a veth pair into the network's bridge,
 * configures {@code eth0} inside, writes its resolv.conf, hosts and hostname files and loads the
 * firewall table; the runtime then only joins the namespace. After the container is gone,
 * {@link #detach} undoes all of it. Whatever a killed mini left behind is taken back by
 * {@link #reclaim}, which every attach and detach runs first.
 *
 * <p>The host side (bridges, veths, nftables, sysctls) is the network namespace of the calling
 * thread, normally the host's.
 */
public final class Networking {
    private final NetworkStore networks;
    private final LeaseStore leases;
    private final Path netnsDir;
    private final Path lockFile;
    private final String table;

    /** {@code miniRoot} keeps the networks (/var/lib/mini-docker), {@code runRoot} the leases and namespaces (/run/mini-docker). */
    public Networking(Path miniRoot, Path runRoot) {
        this.networks = new NetworkStore(miniRoot);
        this.leases = new LeaseStore(runRoot);
        this.netnsDir = runRoot.resolve("netns");
        this.lockFile = runRoot.resolve("net").resolve("lock");
        this.table = NatTable.DEFAULT_NAME;
    }

    /** What the engine asks for: which container, on which network, publishing which ports, files where. */
    public record Request(String container, String name, String hostname, String network, List<PortMapping> ports,
                          Path filesDir) {
    }

    public NetworkStore networks() {
        return networks;
    }

    public List<Lease> leases() {
        return leases.all();
    }

    public Optional<Lease> lease(String container) {
        return leases.find(container);
    }

    /** The network by name; the default network is made on first use, on a subnet free on this host. */
    public Network network(String name) {
        try (NetLock lock = NetLock.acquire(lockFile)) {
            return networkLocked(name);
        }
    }

    private Network networkLocked(String name) {
        Optional<Network> n = networks.find(name);
        if (n.isPresent()) {
            return n.get();
        }
        if (name.equals(Network.DEFAULT)) {
            return networks.create(name, null, hostRoutes());
        }
        throw new IllegalArgumentException("network " + name + " not found (mini network ls lists them; mini network create NAME makes one)");
    }

    /** {@code mini network create [--subnet CIDR] NAME}. */
    public Network createNetwork(String name, Subnet subnet) {
        try (NetLock lock = NetLock.acquire(lockFile)) {
            networkLocked(Network.DEFAULT); // always there, as docker's, and first to choose a subnet
            return networks.create(name, subnet, hostRoutes());
        }
    }

    /** {@code mini network rm NAME}: only when no container is on it; its bridge goes with it. */
    public void removeNetwork(String name) {
        try (NetLock lock = NetLock.acquire(lockFile)) {
            reclaimLocked();
            if (name.equals(Network.DEFAULT)) {
                throw new IllegalArgumentException(name + " is a pre-defined network and cannot be removed");
            }
            Network n = networks.find(name).orElseThrow(() -> new IllegalArgumentException("network " + name + " not found"));
            List<String> users = leases.all().stream().filter(l -> l.network().equals(name)).map(Lease::name).toList();
            if (!users.isEmpty()) {
                throw new IllegalArgumentException("network " + name + " has active endpoints: " + String.join(", ", users));
            }
            try (RouteSocket s = RouteSocket.open()) {
                Rtnetlink h = new Rtnetlink(s);
                if (h.link(n.bridge()) != null) {
                    h.deleteLink(n.bridge());
                }
            }
            networks.remove(name);
        }
    }

    // tag::attach[]
    /** Everything a container needs of its network, before it is created. */
    public Attachment attach(Request r) {
        try (NetLock lock = NetLock.acquire(lockFile)) {
            reclaimLocked();
            if (leases.find(r.container()).isPresent()) {
                throw new IllegalStateException("container " + r.container() + " is already attached to a network");
            }
            Network net = networkLocked(r.network());
            List<Lease> taken = leases.all();
            List<PortMapping> ports = HostPorts.choose(r.ports(), taken);
            String address = Subnet.format(LeaseStore.freeAddress(net.cidr(), taken, net.name()));
            String veth = "veth" + shortId(r.container());
            Path netns = netnsDir.resolve(r.container());
            long me = ProcessHandle.current().pid();
            Lease lease = new Lease(r.container(), r.name(), net.name(), address, veth, netns.toString(),
                    r.filesDir().resolve("hosts").toString(), ports, me, startTime(me));
            leases.write(lease);                       // first: whatever follows can be taken back from it
            try {
                wire(net, lease, netns);
                Attachment a = writeFiles(r, net, lease, netns);
                applyTable();
                refreshHosts(net);
                return a;
            } catch (RuntimeException e) {
                try {
                    teardown(lease);                   // nothing of a failed attach stays
                    applyTable();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }
    // end::attach[]

    // tag::wire[]
    /** The bridge (once), the veth pair, and eth0, its address and its default route inside. */
    private void wire(Network net, Lease lease, Path netnsPath) {
        try (RouteSocket s = RouteSocket.open()) {
            Rtnetlink host = new Rtnetlink(s);
            int bridge = ensureBridge(host, net);
            Sysctl.write(Sysctl.IP_FORWARD, "1");            // NAT needs forwarding, as docker turns it on
            NetNamespace ns = NetNamespace.create(netnsPath);
            String peer = "vp" + shortId(lease.container());
            host.createVethPair(lease.veth(), peer);       // two ends of one cable, both on the host
            host.setMaster(host.index(lease.veth()), bridge);  // one end into the bridge
            host.setUp(host.index(lease.veth()));
            int nsFd = ns.openFd();
            try {
                host.moveToNamespace(host.index(peer), nsFd);  // the other end into the container
            } finally {
                Syscalls.close(nsFd);
            }
            try (RouteSocket inside = ns.openRouteSocket()) {
                Rtnetlink c = new Rtnetlink(inside);
                c.setUp(c.index("lo"));
                int eth0 = c.index(peer);
                c.rename(eth0, "eth0");
                c.addAddress(eth0, Subnet.parseAddress(lease.address()), net.cidr().prefixLength());
                c.setUp(eth0);
                c.addDefaultRoute(net.gatewayAddress());
            }
        }
    }
    // end::wire[]

    private static int ensureBridge(Rtnetlink host, Network net) {
        Link b = host.link(net.bridge());
        if (b == null) {
            host.createBridge(net.bridge());
            int index = host.index(net.bridge());
            host.addAddress(index, net.gatewayAddress(), net.cidr().prefixLength());
            host.setUp(index);
            Sysctl.write(Sysctl.routeLocalnet(net.bridge()), "1");
            return index;
        }
        if (!b.isUp()) {
            host.setUp(b.index());
        }
        return b.index();
    }

    private Attachment writeFiles(Request r, Network net, Lease lease, Path netns) {
        try {
            Files.createDirectories(r.filesDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + r.filesDir() + ": " + e.getMessage(), e);
        }
        Path resolv = r.filesDir().resolve("resolv.conf");
        Path hosts = r.filesDir().resolve("hosts");
        Path hostname = r.filesDir().resolve("hostname");
        ContainerFiles.rewriteInPlace(resolv, ContainerFiles.resolvConf(ContainerFiles.readHostResolvConf()));
        ContainerFiles.rewriteInPlace(hostname, r.hostname() + "\n");
        ContainerFiles.rewriteInPlace(hosts, ContainerFiles.hosts(lease.address(), hostsNames(r.hostname(), r.name()), List.of()));
        return new Attachment(r.container(), net, netns, lease.address(), lease.ports(), resolv, hosts, hostname);
    }

    /** Makes the lease follow another process, e.g. the container's own PID 1 once it exists. */
    public void hold(String container, long pid) {
        try (NetLock lock = NetLock.acquire(lockFile)) {
            Lease l = leases.find(container).orElseThrow(() -> new IllegalArgumentException("no network lease for " + container));
            leases.write(l.withHolder(pid, startTime(pid)));
        }
    }

    // tag::detach[]
    /** After the container is gone: its veth, namespace, lease, firewall rules and hosts entries. */
    public void detach(String container) {
        try (NetLock lock = NetLock.acquire(lockFile)) {
            reclaimLocked();
            Optional<Lease> l = leases.find(container);
            if (l.isEmpty()) {
                return; // never attached, or already taken back
            }
            teardown(l.get());
            applyTable();
            networks.find(l.get().network()).ifPresent(this::refreshHosts);
        }
    }
    // end::detach[]

    /** Takes back the leases whose holder has died (mini killed with SIGKILL, say); returns how many. */
    public int reclaim() {
        try (NetLock lock = NetLock.acquire(lockFile)) {
            return reclaimLocked();
        }
    }

    private int reclaimLocked() {
        int n = 0;
        Set<String> networksTouched = new HashSet<>();
        Set<String> leased = new HashSet<>();
        for (Lease l : leases.all()) {
            if (startTime(l.holderPid()) != l.holderStart() || l.holderStart() < 0) {
                teardown(l);
                networksTouched.add(l.network());
                n++;
            } else {
                leased.add(Path.of(l.netns()).getFileName().toString());
            }
        }
        // namespaces whose lease never got written, or whose teardown was cut short
        if (Files.isDirectory(netnsDir)) {
            try (Stream<Path> files = Files.list(netnsDir)) {
                for (Path f : files.toList()) {
                    if (!leased.contains(f.getFileName().toString())) {
                        NetNamespace.at(f).remove();
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + netnsDir + ": " + e.getMessage(), e);
            }
        }
        if (n > 0) {
            applyTable();
            for (String name : networksTouched) {
                networks.find(name).ifPresent(this::refreshHosts);
            }
        }
        return n;
    }

    private void teardown(Lease l) {
        try (RouteSocket s = RouteSocket.open()) {
            new Rtnetlink(s).deleteLink(l.veth());           // both ends go
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENODEV) {
                throw e;
            }
        }
        NetNamespace.at(Path.of(l.netns())).remove();
        leases.remove(l.container());
    }

    /** Loads the table for the leases there are, or deletes it when there are none. */
    private void applyTable() {
        Map<Network, List<Lease>> inUse = new LinkedHashMap<>();
        for (Lease l : leases.all()) {
            networks.find(l.network()).ifPresent(n -> inUse.computeIfAbsent(n, k -> new ArrayList<>()).add(l));
        }
        NatTable.apply(inUse.isEmpty() ? NatTable.renderDelete(table) : NatTable.render(table, inUse));
    }

    // tag::hosts[]
    /** On a user network every member's /etc/hosts lists every other member by name. */
    private void refreshHosts(Network net) {
        if (!net.resolvesNames()) {
            return;
        }
        List<Lease> members = leases.all().stream().filter(l -> l.network().equals(net.name())).toList();
        for (Lease self : members) {
            List<String[]> others = members.stream().filter(o -> o != self && o.name() != null)
                    .map(o -> new String[] {o.name(), o.address()}).toList();
            Path hosts = Path.of(self.hostsFile());
            if (Files.exists(hosts)) {
                String first = hostnameLine(hosts, self);
                ContainerFiles.rewriteInPlace(hosts, ContainerFiles.hosts(self.address(), first, others));
            }
        }
    }
    // end::hosts[]

    /** Keeps the container's own names as they were written at attach time. */
    private static String hostnameLine(Path hosts, Lease self) {
        try {
            for (String line : Files.readAllLines(hosts)) {
                if (line.startsWith(self.address() + "\t")) {
                    return line.substring(self.address().length() + 1);
                }
            }
        } catch (IOException ignored) {
            // fall through to the name alone
        }
        return self.name();
    }

    private static String hostsNames(String hostname, String name) {
        return name == null || name.equals(hostname) ? hostname : hostname + " " + name;
    }

    /** Interface names have room for 15 characters: "veth" and 11 of the ID, as docker's are "veth" and 7 hex digits. */
    private static String shortId(String container) {
        String id = container.replaceAll("[^a-zA-Z0-9]", "");
        return id.substring(0, Math.min(11, id.length()));
    }

    private static List<Route> hostRoutes() {
        try (RouteSocket s = RouteSocket.open()) {
            return new Rtnetlink(s).routes();
        }
    }

    /**
     * Field 22 of /proc/PID/stat, the start time in clock ticks since boot; -1 when there is no
     * such process, or only its zombie (dead, not yet reaped: its namespaces are gone already).
     */
    static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (after[0].equals("Z") || after[0].equals("X")) { // field 3, the state
                return -1;
            }
            return Long.parseLong(after[19]); // fields from 3 on; starttime is field 22
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
