package dev.minidocker.container.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Address leases, one file per container under {@code <runtime root>/net/leases/}, in /run so
 * that a reboot (which ends every container) also ends every lease. All changes happen under
 * the {@link NetLock}: reading the taken addresses and writing the new lease is one step.
 */
final class LeaseStore {
    private final Path dir;

    LeaseStore(Path runRoot) {
        this.dir = runRoot.resolve("net").resolve("leases");
    }

    List<Lease> all() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Lease> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    Lease l = NetworkStore.gson().fromJson(Files.readString(f), Lease.class);
                    if (l != null) {
                        out.add(l);
                    }
                } catch (IOException | RuntimeException e) {
                    // a file cut short by a crash holds nothing we can clean up: drop it
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    Optional<Lease> find(String container) {
        return all().stream().filter(l -> l.container().equals(container)).findFirst();
    }

    /** The lowest free host address of the subnet, the gateway (.1) excluded. */
    static int freeAddress(Subnet subnet, List<Lease> taken, String network) {
        for (long n = 2; n < subnet.size() - 1; n++) {
            String candidate = Subnet.format(subnet.host(n));
            if (taken.stream().noneMatch(l -> l.network().equals(network) && l.address().equals(candidate))) {
                return subnet.host(n);
            }
        }
        throw new IllegalStateException("network " + network + " (" + subnet + ") has no free address left");
    }

    void write(Lease l) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + l.container() + ".tmp");
            Files.writeString(tmp, NetworkStore.gson().toJson(l));
            Files.move(tmp, dir.resolve(l.container() + ".json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write lease of " + l.container() + ": " + e.getMessage(), e);
        }
    }

    void remove(String container) {
        try {
            Files.deleteIfExists(dir.resolve(container + ".json"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove lease of " + container + ": " + e.getMessage(), e);
        }
    }
}
