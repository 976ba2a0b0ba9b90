package dev.minidocker.container.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.spec.ContainerSpec;

/**
 * Which image layers each container stands on: the lower directories of its overlay root, as its
 * config.json names them. {@code mini rmi} refuses an image that a container (running or not) uses,
 * and even when forced never deletes a layer that one of them still mounts.
 */
public final class LayersInUse {
    private LayersInUse() {
    }

    /** Container name → the layer directories of its root. */
    public static Map<String, Set<Path>> of(Path miniRoot) {
        Map<String, Set<Path>> out = new LinkedHashMap<>();
        for (ContainerState s : new Containers(miniRoot).list()) {
            Path config = Path.of(s.bundle()).resolve("config.json");
            if (!Files.isRegularFile(config)) {
                continue;
            }
            try {
                ContainerSpec spec = SpecFile.read(config, ContainerSpec.class);
                Set<Path> layers = new LinkedHashSet<>();
                for (ContainerSpec.Mount m : spec.mounts() == null ? java.util.List.<ContainerSpec.Mount>of() : spec.mounts()) {
                    if ("overlay".equals(m.type()) && m.options() != null) {
                        for (String o : m.options()) {
                            layers.addAll(lowerDirs(o));
                        }
                    }
                }
                out.put(s.name(), layers);
            } catch (RuntimeException e) {
                // a config cut short by a crash names no layers
            }
        }
        return out;
    }

    /** The lowerdir=A:B:C of overlay's options (',', ':' and '\\' in paths are escaped with '\\'). */
    static Set<Path> lowerDirs(String options) {
        Set<Path> dirs = new LinkedHashSet<>();
        int at = options.startsWith("lowerdir=") ? 0 : options.indexOf(",lowerdir=") + 1;
        if (at == 0 && !options.startsWith("lowerdir=")) {
            return dirs;
        }
        StringBuilder cur = new StringBuilder();
        for (int i = at + "lowerdir=".length(); i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                cur.append(options.charAt(++i));
            } else if (c == ':' || c == ',') {
                dirs.add(Path.of(cur.toString()));
                cur.setLength(0);
                if (c == ',') {
                    return dirs;
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            dirs.add(Path.of(cur.toString()));
        }
        return dirs;
    }
}
