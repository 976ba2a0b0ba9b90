package dev.minidocker.container.net;

/**
 * An IPv4 network in CIDR notation, {@code 10.66.0.0/24}: an address and how many of its leading
 * bits name the network. Addresses are ints in the usual order (10.66.0.1 is 0x0a420001).
 */
public record Subnet(int network, int prefixLength) {

    public Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
        }
        network &= mask(prefixLength);
    }

    /** Parses "10.66.0.0/24"; host bits set ("10.66.0.7/24") are refused, as docker refuses them. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": expected ADDRESS/PREFIX, e.g. 10.66.1.0/24");
        }
        int address = parseAddress(cidr.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": prefix is not a number");
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": prefix must be 0..32");
        }
        Subnet s = new Subnet(address, prefix);
        if (s.network != address) {
            throw new IllegalArgumentException("invalid subnet " + cidr + ": host bits are set (did you mean " + s + "?)");
        }
        return s;
    }

    public static int parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address " + dotted);
        }
        int a = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid IPv4 address " + dotted);
            }
            if (v < 0 || v > 255 || p.isEmpty() || (p.length() > 1 && p.startsWith("0"))) {
                throw new IllegalArgumentException("invalid IPv4 address " + dotted);
            }
            a = (a << 8) | v;
        }
        return a;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** The four bytes in network order, as an IFA_LOCAL or RTA_GATEWAY attribute carries them. */
    public static byte[] bytes(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    public static int fromBytes(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public boolean contains(int address) {
        return (address & mask(prefixLength)) == network;
    }

    public boolean overlaps(Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    /** The number of addresses, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** The n-th address of the subnet (1 is the gateway by convention). */
    public int host(long n) {
        if (n <= 0 || n >= size() - 1) {
            throw new IllegalArgumentException("no host " + n + " in " + this);
        }
        return network + (int) n;
    }

    /** The bridge's address: the first host, as docker and podman choose it. */
    public int gateway() {
        return host(1);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}
