package dev.minidocker.container.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The networks mini knows, one JSON file each under {@code <mini root>/networks/}. They outlive
 * containers and reboots; their bridges are made when a container first joins (see
 * {@link Networking}).
 */
public final class NetworkStore {
    /** docker's default bridge and podman's default network: a mini subnet never overlaps them. */
    public static final List<Subnet> PEERS_DEFAULTS = List.of(Subnet.parse("172.17.0.0/16"), Subnet.parse("10.88.0.0/16"));
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path dir;

    public NetworkStore(Path miniRoot) {
        this.dir = miniRoot.resolve("networks");
    }

    public Optional<Network> find(String name) {
        Path f = dir.resolve(name + ".json");
        if (!NAME.matcher(name).matches() || !Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(GSON.fromJson(Files.readString(f), Network.class));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    public List<Network> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Network> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String n = f.getFileName().toString();
                find(n.substring(0, n.length() - 5)).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Makes a network. Without a subnet, the first free /24 of 10.66.0.0/15 and on that neither
     * the host's routes nor another network's subnet nor docker's or podman's defaults overlap.
     * Callers hold the {@link NetLock}.
     */
    public Network create(String name, Subnet subnet, List<Route> hostRoutes) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid network name \"" + name + "\": letters, digits, '_', '.', '-', starting with a letter or digit");
        }
        if (name.equals("host") || name.equals("none") || name.startsWith("container:")) {
            throw new IllegalArgumentException("network name \"" + name + "\" is reserved (--network " + name + " is built in)");
        }
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("network with name " + name + " already exists");
        }
        List<Network> existing = all();
        if (subnet == null) {
            subnet = freeSubnet(existing, hostRoutes);
        } else {
            if (subnet.prefixLength() > 30) {
                throw new IllegalArgumentException("subnet " + subnet + " is too small: at most /30");
            }
            for (Network n : existing) {
                if (n.cidr().overlaps(subnet)) {
                    throw new IllegalArgumentException("subnet " + subnet + " overlaps network " + n.name() + " (" + n.subnet() + ")");
                }
            }
        }
        String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        String bridge = name.equals(Network.DEFAULT) ? Network.DEFAULT_BRIDGE : "mini-" + id.substring(0, 10);
        Network n = new Network(name, id, "bridge", bridge, subnet.toString(), Subnet.format(subnet.gateway()),
                Instant.now().toString());
        write(n);
        return n;
    }

    // tag::free-subnet[]
    /** The first /24 that overlaps nothing the host routes, no other network and no peer's default. */
    static Subnet freeSubnet(List<Network> existing, List<Route> hostRoutes) {
        for (int second = 66; second <= 67; second++) {
            for (int third = 0; third <= 255; third++) {
                Subnet candidate = new Subnet((10 << 24) | (second << 16) | (third << 8), 24);
                boolean taken = PEERS_DEFAULTS.stream().anyMatch(candidate::overlaps)
                        || existing.stream().anyMatch(n -> n.cidr().overlaps(candidate))
                        || hostRoutes.stream().anyMatch(r -> r.destination().prefixLength() > 0  // not the default route
                                && r.destination().overlaps(candidate));
                if (!taken) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no free subnet in 10.66.0.0/15: give one with --subnet");
    }
    // end::free-subnet[]

    public void remove(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name + ".json"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove network " + name + ": " + e.getMessage(), e);
        }
    }

    private void write(Network n) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + n.name() + ".tmp");
            Files.writeString(tmp, GSON.toJson(n));
            Files.move(tmp, dir.resolve(n.name() + ".json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write network " + n.name() + ": " + e.getMessage(), e);
        }
    }

    static Gson gson() {
        return GSON;
    }
}
