package dev.minidocker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.minidocker.cli.DoctorCommand.Check;
import dev.minidocker.cli.DoctorCommand.Level;
import dev.minidocker.container.ns.SubordinateIds;

/**
 * doctor's lines for user namespaces and rootless mode: whether an unprivileged user may make a
 * user namespace (the sysctls that forbid it, then a real try), the subordinate ranges of the
 * invoking user (sudo's SUDO_USER, else whoever runs doctor), newuidmap, and cgroup v2 delegation.
 * Each check is a function of what it read, so that tests can hand it any machine's files.
 */
final class UserNamespaceChecks {
    private UserNamespaceChecks() {
    }

    /** The invoking user: sudo's SUDO_USER, else the user running doctor. */
    record User(String name, int uid) {
        static User invoking() {
            String sudo = System.getenv("SUDO_USER");
            String sudoUid = System.getenv("SUDO_UID");
            if (sudo != null && !sudo.isEmpty() && sudoUid != null && sudoUid.matches("\\d+")) {
                return new User(sudo, Integer.parseInt(sudoUid));
            }
            return new User(System.getProperty("user.name"), (int) dev.minidocker.sys.Native.libc().geteuid());
        }
    }

    static List<Check> all() {
        User user = User.invoking();
        List<Check> checks = new ArrayList<>();
        checks.add(unprivileged(read("/proc/sys/user/max_user_namespaces"), read("/proc/sys/kernel/unprivileged_userns_clone"),
                read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"), tryAsUnprivileged()));
        checks.add(subordinateIds(user, read("/etc/subuid"), read("/etc/subgid")));
        checks.add(newuidmap(Path.of("/usr/bin/newuidmap")));
        checks.add(delegation(user, isPureV2(), read("/proc/self/cgroup"), Path.of("/sys/fs/cgroup")));
        return checks;
    }

    // tag::unprivileged-userns[]
    /**
     * Whether a user without root may make a user namespace. null for a sysctl this kernel does not have.
     *
     * @param tried what a real {@code unshare --user --map-root-user true} as an unprivileged user said: null if it worked
     */
    static Check unprivileged(String maxUserNamespaces, String unprivilegedClone, String apparmorRestrict, String tried) {
        String name = "userns unprivileged";
        String max = maxUserNamespaces == null ? "?" : maxUserNamespaces.trim();
        if (max.equals("0")) {
            return new Check(Level.FAIL, name, "user.max_user_namespaces is 0: nobody may make a user namespace",
                    "sysctl -w user.max_user_namespaces=15000 (and in /etc/sysctl.d to keep it)");
        }
        if (unprivilegedClone != null && unprivilegedClone.trim().equals("0")) {
            return new Check(Level.FAIL, name, "kernel.unprivileged_userns_clone is 0: only root may make one (rootless fails)",
                    "sysctl -w kernel.unprivileged_userns_clone=1");
        }
        if (apparmorRestrict != null && apparmorRestrict.trim().equals("1")) {
            return new Check(Level.FAIL, name, "kernel.apparmor_restrict_unprivileged_userns is 1 (Ubuntu): an unconfined user's"
                    + " namespace gets no capabilities, so rootless mounts fail",
                    "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for unshare with 'userns,'");
        }
        if (tried != null) {
            return new Check(Level.FAIL, name, "the sysctls allow it, but unshare --user as an unprivileged user failed: " + tried,
                    "see user_namespaces(7); a container or seccomp profile around this machine may forbid it");
        }
        return new Check(Level.OK, name, "an unprivileged user may make user namespaces (user.max_user_namespaces=" + max
                + (unprivilegedClone == null ? "" : ", kernel.unprivileged_userns_clone=" + unprivilegedClone.trim())
                + (apparmorRestrict == null ? "" : ", kernel.apparmor_restrict_unprivileged_userns=" + apparmorRestrict.trim())
                + "): rootless mode works", null);
    }
    // end::unprivileged-userns[]

    /** The invoking user's ranges: for root, those --userns=private maps to, and whether they overlap a user's. */
    static Check subordinateIds(User user, String subuid, String subgid) {
        String name = "subuid/subgid";
        String uids = subuid == null ? "" : subuid;
        String gids = subgid == null ? "" : subgid;
        if (user.uid() == 0) {
            SubordinateIds.Mapping m = SubordinateIds.choose(uids, gids);
            for (String line : uids.split("\n")) {
                String[] f = line.trim().split(":");
                if (f.length == 3 && !SubordinateIds.OWNERS.contains(f[0])) {
                    SubordinateIds.Range r = SubordinateIds.rangeOf(line, f[0]);
                    if (r != null && r.first() <= m.uids().last() && m.uids().first() <= r.last()) {
                        return new Check(Level.WARN, name, "--userns=private maps to " + m.uids() + " (" + m.source() + "), which overlaps "
                                + f[0] + "'s range " + r + ": a container's root would be the same host IDs as " + f[0] + "'s",
                                "give mini a range of its own: echo mini:" + freeStart(uids) + ":65536 | tee -a /etc/subuid /etc/subgid");
                    }
                }
            }
            return new Check(Level.OK, name, "--userns=private maps container root to uids " + m.uids() + ", gids " + m.gids()
                    + " (" + m.source() + ")", null);
        }
        SubordinateIds.Range u = SubordinateIds.rangeOf(uids, user.name());
        SubordinateIds.Range g = SubordinateIds.rangeOf(gids, user.name());
        if (u == null || g == null) {
            return new Check(Level.WARN, name, user.name() + " has no " + (u == null ? "/etc/subuid" : "/etc/subgid")
                    + " range: a rootless container has your one ID (mini maps only that one for now anyway)",
                    "usermod --add-subuids " + freeStart(uids) + "-" + (freeStart(uids) + 65535) + " --add-subgids "
                            + freeStart(uids) + "-" + (freeStart(uids) + 65535) + " " + user.name());
        }
        return new Check(Level.OK, name, user.name() + " has uids " + u + " and gids " + g
                + " (a rootless mini maps only your own ID for now)", null);
    }

    /** newuidmap: the set-user-ID helper that maps a user's subordinate ranges (package uidmap). */
    static Check newuidmap(Path binary) {
        String name = "newuidmap";
        if (!Files.isExecutable(binary)) {
            return new Check(Level.WARN, name, binary + " not found: a user namespace of a non-root user can map only the user's own ID",
                    "apt-get install uidmap");
        }
        try {
            int mode = (Integer) Files.getAttribute(binary, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean setuid = (mode & 04000) != 0 && (Integer) Files.getAttribute(binary, "unix:uid") == 0;
            boolean caps = hasFileCapabilities(binary);
            if (!setuid && !caps) {
                return new Check(Level.WARN, name, binary + " is neither set-user-ID root nor has file capabilities: it cannot map ranges",
                        "apt-get install --reinstall uidmap");
            }
            return new Check(Level.OK, name, binary + " (" + (setuid ? "set-user-ID root" : "file capabilities") + ")", null);
        } catch (IOException | RuntimeException e) {
            return new Check(Level.WARN, name, "cannot read " + binary + ": " + e.getMessage(), null);
        }
    }

    /**
     * cgroup v2 delegation: on a pure v2 host systemd gives each user a subtree it owns
     * (user@UID.service); rootless limits need one. mini does not use it yet, which the line says.
     */
    static Check delegation(User user, boolean pureV2, String procSelfCgroup, Path cgroupRoot) {
        String name = "cgroup delegation";
        if (user.uid() == 0) {
            return new Check(Level.OK, name, "not needed: root creates cgroups itself", null);
        }
        if (!pureV2) {
            return new Check(Level.WARN, name, "cgroups are not pure v2 here (hybrid or v1): nothing can be delegated to "
                    + user.name() + ", so rootless containers run without limits",
                    "boot with systemd.unified_cgroup_hierarchy=1, for pure cgroup v2");
        }
        String own = null;
        for (String line : (procSelfCgroup == null ? "" : procSelfCgroup).split("\n")) {
            if (line.startsWith("0::")) {
                own = line.substring(3).trim();
            }
        }
        if (own != null) {
            for (Path d = cgroupRoot.resolve(own.replaceFirst("^/", "")); d.startsWith(cgroupRoot) && !d.equals(cgroupRoot); d = d.getParent()) {
                try {
                    if ((Integer) Files.getAttribute(d, "unix:uid") == user.uid()) {
                        String controllers = Files.readString(d.resolve("cgroup.controllers")).trim();
                        return new Check(Level.WARN, name, cgroupRoot.relativize(d) + " is delegated to " + user.name() + " (controllers: "
                                + (controllers.isEmpty() ? "none" : controllers) + "); mini does not use it yet: rootless runs have no limits",
                                null);
                    }
                } catch (IOException | RuntimeException e) {
                    break;
                }
            }
        }
        return new Check(Level.WARN, name, "no cgroup v2 subtree is delegated to " + user.name() + ": rootless containers run without limits",
                "systemd: log in through a session (user@" + user.uid() + ".service has Delegate=yes)");
    }

    /** A real try: unshare --user --map-root-user as nobody (when root) or as this user. null if it worked. */
    static String tryAsUnprivileged() {
        List<String> cmd = new ArrayList<>();
        if (dev.minidocker.sys.Native.libc().geteuid() == 0) {
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        cmd.addAll(List.of("unshare", "--user", "--map-root-user", "--mount", "true"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "it did not finish in 10 s";
            }
            return p.exitValue() == 0 ? null : out.lines().findFirst().orElse("exit " + p.exitValue());
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** A start above every range in subuid text (and at least 100000). */
    static long freeStart(String subuid) {
        long top = 100000;
        for (String line : subuid.split("\n")) {
            String[] f = line.trim().split(":");
            if (f.length == 3) {
                SubordinateIds.Range r = SubordinateIds.rangeOf(line, f[0]);
                if (r != null) {
                    top = Math.max(top, r.last() + 1);
                }
            }
        }
        return top;
    }

    private static boolean isPureV2() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    private static boolean hasFileCapabilities(Path binary) {
        try {
            return dev.minidocker.sys.Syscalls.lgetxattr(binary.toString(), "security.capability") != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return null;
        }
    }
}
