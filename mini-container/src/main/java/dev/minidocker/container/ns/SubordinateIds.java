package dev.minidocker.container.ns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;

/**
 * Which host IDs a container's root is mapped to with {@code --userns=private}: the subordinate
 * ranges of subuid(5) and subgid(5) ({@code NAME:FIRST:COUNT} a line), taken for the user
 * {@code mini}, else for {@code root}; with neither, the default range 100000-165535 (what
 * useradd gives the first user, so it is usually already set aside for this).
 */
public final class SubordinateIds {
    /** The range used when /etc/subuid has no entry for mini or root. */
    public static final Range DEFAULT = new Range(100000, 65536);
    /** The users whose ranges are looked up, in order. */
    public static final List<String> OWNERS = List.of("mini", "root");

    /** host IDs first .. first+count-1. */
    public record Range(long first, long count) {
        public long last() {
            return first + count - 1;
        }

        @Override
        public String toString() {
            return first + "-" + last();
        }
    }

    /** The host uids and gids a container's IDs 0.. are mapped to, and where they came from. */
    public record Mapping(Range uids, Range gids, String source) {
        /** The smaller of the two: the container sees IDs 0 .. size-1. */
        public long size() {
            return Math.min(uids.count(), gids.count());
        }

        /** config.json's linux.uidMappings: container 0.. to the host range. */
        public List<ContainerSpec.IdMapping> uidMappings() {
            return List.of(new ContainerSpec.IdMapping(0, uids.first(), size()));
        }

        public List<ContainerSpec.IdMapping> gidMappings() {
            return List.of(new ContainerSpec.IdMapping(0, gids.first(), size()));
        }
    }

    private SubordinateIds() {
    }

    /** The mapping for this host: /etc/subuid and /etc/subgid, else the default range. */
    public static Mapping forHost() {
        return choose(read(Path.of("/etc/subuid")), read(Path.of("/etc/subgid")));
    }

    /** The first of OWNERS with an entry in both files, else DEFAULT. */
    public static Mapping choose(String subuid, String subgid) {
        for (String owner : OWNERS) {
            Range u = rangeOf(subuid, owner);
            Range g = rangeOf(subgid, owner);
            if (u != null && g != null) {
                return new Mapping(u, g, "/etc/subuid and /etc/subgid (" + owner + ")");
            }
        }
        return new Mapping(DEFAULT, DEFAULT, "the default range: no mini or root entry in /etc/subuid and /etc/subgid");
    }

    /** The first range of user in a subuid(5)-format text, or null. */
    public static Range rangeOf(String text, String user) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(":");
            if (f.length == 3 && f[0].equals(user)) {
                try {
                    long first = Long.parseLong(f[1]);
                    long count = Long.parseLong(f[2]);
                    if (first > 0 && count > 0) {
                        return new Range(first, count);
                    }
                } catch (NumberFormatException e) {
                    // not a range: skipped, as newuidmap skips it
                }
            }
        }
        return null;
    }

    static String read(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
