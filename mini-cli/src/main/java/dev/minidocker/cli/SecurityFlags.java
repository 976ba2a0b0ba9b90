package dev.minidocker.cli;

import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.security.SecurityOptions;
import picocli.CommandLine.Option;

/** The security flags of {@code mini run}, as docker spells them (a picocli mixin). */
final class SecurityFlags {
    @Option(names = "--cap-add", paramLabel = "CAP",
            description = "Add a capability to docker's default 14 (e.g. NET_ADMIN; ALL for every one). Repeatable.")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP",
            description = "Drop a capability (ALL: keep only those of --cap-add). Repeatable.")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--privileged",
            description = "Every capability mini holds, no seccomp filter, no masked or read-only /proc paths, a writable /sys, every device.")
    boolean privileged;

    @Option(names = "--security-opt", paramLabel = "OPT",
            description = "seccomp=unconfined (no filter), seccomp=PROFILE.json (docker's profile format), "
                    + "or no-new-privileges. Repeatable.")
    List<String> securityOpt = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]",
            description = "Run as this user: a name or UID, optionally :group or :GID, looked up in the image's "
                    + "/etc/passwd and /etc/group (default: the image's User, else root).")
    String user;

    @Option(names = "--group-add", paramLabel = "GROUP",
            description = "Add a supplementary group (a name from the image's /etc/group, or a GID). Repeatable.")
    List<String> groupAdd = new ArrayList<>();

    /** The options for this run; imageUser is the image config's User, used when there is no -u. */
    SecurityOptions options(String imageUser) {
        String u = user != null ? user : (imageUser == null || imageUser.isEmpty() ? null : imageUser);
        return new SecurityOptions(capAdd, capDrop, privileged, securityOpt, u, groupAdd);
    }
}
