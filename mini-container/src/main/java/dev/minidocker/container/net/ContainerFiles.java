package dev.minidocker.container.net;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The three files every networked container gets from its engine, written into its bundle and
 * bind-mounted over the image's: /etc/resolv.conf, /etc/hosts and /etc/hostname.
 */
public final class ContainerFiles {
    /** What docker falls back to when the host names only resolvers on its own loopback. */
    static final List<String> DEFAULT_NAMESERVERS = List.of("8.8.8.8", "8.8.4.4");

    private ContainerFiles() {
    }

    // tag::resolv-conf[]
    /**
     * The host's resolv.conf without loopback nameservers (docker's rule): 127.0.0.53 of
     * systemd-resolved, say, is the host's own loopback, which a container's namespace has
     * another of. With none left, a comment says so and docker's defaults are used.
     */
    public static String resolvConf(String hostResolvConf) {
        List<String> out = new ArrayList<>();
        boolean anyNameserver = false;
        boolean droppedLoopback = false;
        for (String line : hostResolvConf.lines().toList()) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                if (isLoopback(words[1])) {
                    droppedLoopback = true;
                    continue;
                }
                anyNameserver = true;
            }
            out.add(line);
        }
        if (!anyNameserver) {
            out.add(droppedLoopback
                    ? "# mini: the host's nameservers are all on its loopback, which this container cannot reach; using defaults"
                    : "# mini: the host's resolv.conf names no nameserver; using defaults");
            for (String ns : DEFAULT_NAMESERVERS) {
                out.add("nameserver " + ns);
            }
        }
        return String.join("\n", out) + "\n";
    }
    // end::resolv-conf[]

    static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
    }

    /** /etc/hosts: localhost, the container itself, then the others on its network (name, address). */
    public static String hosts(String address, String hostname, List<String[]> others) {
        StringBuilder b = new StringBuilder()
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append(address).append('\t').append(hostname).append('\n');
        for (String[] o : others) {
            b.append(o[1]).append('\t').append(o[0]).append('\n');
        }
        return b.toString();
    }

    /**
     * Rewrites a file in place, keeping its inode: a bind mount pins the inode it was made from,
     * so replacing the file by a rename would leave the container looking at the old one.
     */
    public static void rewriteInPlace(Path file, String content) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            ch.write(java.nio.ByteBuffer.wrap(b), 0);
            ch.truncate(b.length);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String readHostResolvConf() {
        try {
            return Files.readString(Path.of("/etc/resolv.conf"));
        } catch (IOException e) {
            return "";
        }
    }
}
