package dev.minidocker.container.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.minidocker.container.image.InRoot;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * Who the container's process runs as: docker's {@code -u/--user} forms {@code UID}, {@code UID:GID},
 * {@code USER}, {@code USER:GROUP} (and mixes), resolved in the image's own /etc/passwd and
 * /etc/group, never the host's. The files are read inside the root filesystem the way
 * {@link InRoot} resolves paths: a symbolic link {@code /etc/passwd -> /host/etc/shadow} in a
 * hostile image points into the image, not at the host.
 */
public final class ContainerUser {
    /** uids and gids must fit the kernel's 32-bit type without being -1 (runc checks the same range). */
    private static final long MAX_ID = Integer.MAX_VALUE;
    /** An /etc/passwd larger than this is not a passwd file. */
    private static final long MAX_FILE = 4 << 20;

    /** The resolved user: ids for the spec and the home directory for $HOME. */
    public record Resolved(long uid, long gid, List<Long> additionalGids, String home) {
        public ContainerSpec.User toSpec() {
            return new ContainerSpec.User(uid, gid, null, additionalGids);
        }
    }

    private record Passwd(String name, long uid, long gid, String home) {
    }

    private record Group(String name, long gid, List<String> members) {
    }

    /**
     * Where {@code mini run -u} leaves the user for the init stage: an OCI process.user holds only
     * numbers, and names can only be resolved once the image's root is mounted (as dockerd
     * resolves them in the container's mounted root).
     */
    public static final String USER_ANNOTATION = "dev.minidocker.user";
    /** {@code --group-add} groups, comma-separated. */
    public static final String GROUP_ADD_ANNOTATION = "dev.minidocker.group-add";

    private ContainerUser() {
    }

    // tag::resolve-in-spec[]
    /**
     * The process with its user resolved in the mounted root filesystem when the spec carries a
     * user to resolve ({@link #USER_ANNOTATION}, {@link #GROUP_ADD_ANNOTATION}), and HOME from
     * passwd unless the environment sets it. Without the annotations, process.user stands as written.
     */
    public static ContainerSpec.Process resolveInSpec(Path rootfs, ContainerSpec spec) {
        ContainerSpec.Process p = spec.process();
        Map<String, String> a = spec.annotations() == null ? Map.of() : spec.annotations();
        String user = a.get(USER_ANNOTATION);
        String groups = a.get(GROUP_ADD_ANNOTATION);
        if (user == null && groups == null) {
            return p;
        }
        Resolved r = resolve(rootfs, user, groups == null || groups.isEmpty() ? List.of() : List.of(groups.split(",")));
        List<String> env = new ArrayList<>(p.env() == null ? List.of() : p.env());
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
            env.add("HOME=" + r.home());
        }
        return new ContainerSpec.Process(p.terminal(), p.consoleSize(), r.toSpec(), p.args(), env, p.cwd(),
                p.capabilities(), p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(), p.selinuxLabel());
    }
    // end::resolve-in-spec[]

    // tag::resolve-user[]
    /**
     * Resolves user (null or empty: root) and the groups of {@code --group-add} in the root
     * filesystem rootfs. Without an explicit group the user's primary group comes from passwd and
     * the groups that list the user's name in /etc/group become supplementary groups, as in docker.
     */
    public static Resolved resolve(Path rootfs, String user, List<String> groupAdd) {
        String spec = user == null || user.isEmpty() ? "0" : user;
        String[] parts = spec.split(":", 2);
        String userPart = parts[0];
        String groupPart = parts.length == 2 ? parts[1] : null;
        if (userPart.isEmpty() || (groupPart != null && groupPart.isEmpty())) {
            throw new IllegalArgumentException("invalid user \"" + user + "\": use UID[:GID] or USER[:GROUP]");
        }
        List<Passwd> passwd = parsePasswd(read(rootfs, "/etc/passwd"));
        List<Group> groups = parseGroup(read(rootfs, "/etc/group"));

        Passwd entry = null;
        Long numericUid = number(userPart);
        for (Passwd p : passwd) {
            if (numericUid != null ? p.uid == numericUid : p.name.equals(userPart)) {
                entry = p;
                break;
            }
        }
        if (entry == null && numericUid == null) {
            throw new IllegalArgumentException("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        long uid = entry != null ? entry.uid : checkRange(numericUid, user);
        long gid = entry != null ? entry.gid : 0;
        String home = entry != null && !entry.home.isEmpty() ? entry.home : "/";

        Set<Long> additional = new LinkedHashSet<>();
        if (groupPart != null) {
            gid = groupId(groups, groupPart);
        } else if (entry != null) {
            for (Group g : groups) {
                if (g.members.contains(entry.name)) {
                    additional.add(g.gid);
                }
            }
        }
        if (groupAdd != null) {
            for (String g : groupAdd) {
                additional.add(groupId(groups, g));
            }
        }
        return new Resolved(uid, gid, List.copyOf(additional), home);
    }
    // end::resolve-user[]

    private static long groupId(List<Group> groups, String group) {
        Long n = number(group);
        for (Group g : groups) {
            if (n != null ? g.gid == n : g.name.equals(group)) {
                return g.gid;
            }
        }
        if (n == null) {
            throw new IllegalArgumentException("unable to find group " + group + ": no matching entries in group file");
        }
        return checkRange(n, group);
    }

    private static Long number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // too large: refused by checkRange
        }
    }

    private static long checkRange(long id, String what) {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("invalid id in \"" + what + "\": uids and gids must be in range 0-" + MAX_ID);
        }
        return id;
    }

    /** name:password:UID:GID:GECOS:directory:shell; malformed lines are skipped, as libc does. */
    private static List<Passwd> parsePasswd(String text) {
        List<Passwd> l = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || line.startsWith("#")) {
                continue;
            }
            Long uid = number(f[2]);
            Long gid = number(f[3]);
            if (uid != null && gid != null) {
                l.add(new Passwd(f[0], uid, gid, f.length > 5 ? f[5] : ""));
            }
        }
        return l;
    }

    /** name:password:GID:member,member. */
    private static List<Group> parseGroup(String text) {
        List<Group> l = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || line.startsWith("#")) {
                continue;
            }
            Long gid = number(f[2]);
            if (gid != null) {
                List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
                l.add(new Group(f[0], gid, members));
            }
        }
        return l;
    }

    /**
     * A file of the image, resolved inside rootfs; "" when there is none. Only a regular file is
     * read (a FIFO would block, a device could be anything), through a descriptor opened without
     * following a last symbolic link, and at most {@link #MAX_FILE} bytes.
     */
    private static String read(Path rootfs, String name) {
        try {
            Path p = new InRoot(rootfs).existingFile(name);
            if (p == null) {
                return "";
            }
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new IllegalArgumentException(name + " in the image is not a regular file");
            }
            try (SeekableByteChannel ch = Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                InputStream in = Channels.newInputStream(ch);
                byte[] bytes = in.readNBytes((int) MAX_FILE + 1);
                if (bytes.length > MAX_FILE) {
                    throw new IllegalArgumentException(name + " in the image is larger than " + MAX_FILE + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + name + " in the image: " + e.getMessage(), e);
        }
    }
}
