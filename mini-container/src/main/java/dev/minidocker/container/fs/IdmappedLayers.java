package dev.minidocker.container.fs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.minidocker.sys.MountApi;
import dev.minidocker.sys.Syscalls;

/**
 * The image's layers as a container in a user namespace must see them. On disk their files
 * belong to host root (uid 0), which the container's user namespace does not map: inside, they
 * would all be owned by "nobody". An idmapped mount (mount_setattr(2) with MOUNT_ATTR_IDMAP)
 * shows a directory through the container's mapping, so host 0 appears as the container's 0
 * (the host's 100000, say) without a byte of the layer changing, and every container shares the
 * one unpacked copy. overlayfs takes idmapped lower layers since Linux 5.19.
 *
 * <p>Each layer is cloned (open_tree), idmapped, and attached over itself, in a mount namespace of
 * the runtime's own thread: the container's mount namespace is made as a copy of it, so only the
 * container sees them and they vanish with it. Creating an idmapped mount needs CAP_SYS_ADMIN in
 * the user namespace that owns the file system (here the host's): the runtime does it, not the
 * container.
 */
public final class IdmappedLayers {
    private IdmappedLayers() {
    }

    // tag::idmap-layers[]
    /** Mounts each directory over itself, idmapped as the user namespace usernsFd maps IDs. */
    public static void mountOverThemselves(List<String> dirs, int usernsFd) {
        for (String dir : dirs) {
            int tree = MountApi.openTreeClone(dir);   // a detached copy of the mount at dir
            try {
                MountApi.setIdmap(tree, usernsFd, dir);
                MountApi.moveMount(tree, dir);        // attached over the original, in this mount namespace only
            } finally {
                Syscalls.close(tree);
            }
        }
    }
    // end::idmap-layers[]

    /** The lowerdir paths of overlay mount options ("lowerdir=A:B,upperdir=..."), unescaped. */
    public static List<String> lowerDirs(String options) {
        Set<String> dirs = new LinkedHashSet<>();
        for (String option : split(options, ',')) {
            if (option.startsWith("lowerdir=")) {
                dirs.addAll(split(option.substring("lowerdir=".length()), ':'));
            }
        }
        List<String> out = new ArrayList<>();
        for (String d : dirs) {
            out.add(d.replace("\\:", ":").replace("\\,", ",").replace("\\\\", "\\"));
        }
        return out;
    }

    /** Splits at sep where it is not escaped with '\' (escapes kept for the next split). */
    private static List<String> split(String s, char sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == sep) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }
}
