package dev.minidocker.container.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.minidocker.container.image.LayerTree;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * An image's {@code USER} ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}) as the
 * numbers a process runs with, looked up in the image's own /etc/passwd and /etc/group, as docker
 * does: a name must be there; a bare uid not listed runs with gid 0.
 */
public final class ImageUser {
    private ImageUser() {
    }

    public static ContainerSpec.User resolve(String user, List<Path> layers) {
        if (user == null || user.isEmpty()) {
            return new ContainerSpec.User(0, 0, null, null);
        }
        LayerTree tree = new LayerTree(layers);
        int colon = user.indexOf(':');
        String u = colon < 0 ? user : user.substring(0, colon);
        String g = colon < 0 ? null : user.substring(colon + 1);
        long uid;
        long gid = 0;
        Optional<String[]> entry = lookup(tree, "etc/passwd", u);
        if (u.matches("[0-9]+")) {
            uid = Long.parseLong(u);
            entry = entryById(tree, "etc/passwd", uid);
        } else if (entry.isPresent()) {
            uid = Long.parseLong(entry.get()[2]);
        } else {
            throw new IllegalArgumentException("user \"" + u + "\" is not in the image's /etc/passwd: use a numeric uid or add the user");
        }
        if (entry.isPresent() && entry.get().length > 3) {
            gid = Long.parseLong(entry.get()[3]);
        }
        if (g != null) {
            if (g.matches("[0-9]+")) {
                gid = Long.parseLong(g);
            } else {
                gid = Long.parseLong(lookup(tree, "etc/group", g).orElseThrow(() -> new IllegalArgumentException(
                        "group \"" + g + "\" is not in the image's /etc/group: use a numeric gid or add the group"))[2]);
            }
        }
        return new ContainerSpec.User(uid, gid, null, null);
    }

    private static Optional<String[]> lookup(LayerTree tree, String file, String name) {
        return lines(tree, file).stream().map(l -> l.split(":", -1)).filter(f -> f.length > 2 && f[0].equals(name)).findFirst();
    }

    private static Optional<String[]> entryById(LayerTree tree, String file, long id) {
        return lines(tree, file).stream().map(l -> l.split(":", -1))
                .filter(f -> f.length > 3 && f[2].equals(Long.toString(id))).findFirst();
    }

    private static List<String> lines(LayerTree tree, String file) {
        Optional<Path> p = tree.find(file);
        try {
            return p.isPresent() && Files.isRegularFile(p.get()) ? Files.readAllLines(p.get()) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
